package resource

import (
	"strings"

	"github.com/smcore-go/smcore/gen/model"
)

// Params returns the identifiers in the order a Get takes them: parents
// first, then the members that name the resource itself, each group in
// model order. A member whose stem (its name less Name, Id or Arn) is
// another resource names a parent (DomainId of App, DeviceFleetName of
// Device, ClusterName of ClusterNode); one whose stem is the resource names
// it; otherwise a member names the resource itself when its name starts
// with the resource's name (AppType of App) or the resource's name ends
// with its stem (NodeId of ClusterNode). The last one is the resource's
// name (ResourceName).
func (r *Resource) Params() []*model.Member {
	var parents, own []*model.Member
	for _, id := range r.Identifiers {
		if r.ownsIdentifier(id.Name) {
			own = append(own, id)
		} else {
			parents = append(parents, id)
		}
	}
	return append(parents, own...)
}

func (r *Resource) ownsIdentifier(member string) bool {
	stem := ""
	for _, suffix := range []string{"Name", "Id", "Arn"} {
		if s, ok := strings.CutSuffix(member, suffix); ok && s != "" {
			stem = s
			break
		}
	}
	switch {
	case stem == r.Name:
		return true
	case stem != "" && r.others[stem]:
		return false
	case strings.HasPrefix(member, r.Name):
		return true
	}
	return stem != "" && strings.HasSuffix(r.Name, stem)
}
