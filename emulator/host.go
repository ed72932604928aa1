package emulator

import (
	"net"
	"net/netip"
	"strings"
)

// The endpoint is meant for loopback, and a page a browser loads can make
// the browser send requests to a name the page's owner controls that
// resolves to 127.0.0.1 (DNS rebinding); with the default test/test
// credentials and a process executor, that would be a way to run commands.
// The Host header is what such a request cannot hide, so by default only
// loopback names are served: localhost, 127.0.0.0/8 and [::1], any port.
// A server bound to another interface says which names it answers to
// (WithAllowedHosts; smlocal does it for -addr).

// hostPolicy is the set of Host headers served.
type hostPolicy struct {
	any   bool            // "*": every Host
	names map[string]bool // lower case, without port
}

// WithAllowedHosts serves requests whose Host header (any port) is one of
// hosts, as well as the loopback names always served (localhost,
// 127.0.0.0/8, [::1]); "*" serves any Host, for a server bound to an
// interface other clients reach under names it cannot know. Other Hosts
// are answered 403 (AccessDenied in S3's form, AccessDeniedException in
// the JSON services'). Without this option only loopback names are
// served, which is what a server bound to loopback (emulatortest, smlocal's
// default -addr) needs.
func WithAllowedHosts(hosts ...string) Option {
	return func(s *Server) {
		for _, h := range hosts {
			h = strings.ToLower(strings.TrimSpace(h))
			if h == "*" {
				s.hosts.any = true
				continue
			}
			if s.hosts.names == nil {
				s.hosts.names = map[string]bool{}
			}
			s.hosts.names[strings.Trim(h, "[]")] = true
		}
	}
}

// allows reports whether the Host header host is served.
func (p *hostPolicy) allows(host string) bool {
	if p.any {
		return true
	}
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	name = strings.ToLower(strings.Trim(name, "[]"))
	if name == "localhost" || p.names[name] {
		return true
	}
	ip, err := netip.ParseAddr(name)
	return err == nil && ip.Zone() == "" && ip.Unmap().IsLoopback()
}
