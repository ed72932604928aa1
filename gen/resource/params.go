package resource

import (
	"strings"

	"github.com/smcore-go/smcore/gen/model"
)

// Params returns the identifiers in the order a Get takes them: parents
// first, then the members that name the resource itself, each group in
// model order. A member names the resource itself when its name starts
// with the resource's name (AppType, AppName of App) or when the resource's
// name ends with its stem (NodeId of ClusterNode); any other identifier is a
// parent (DomainId of App, DeviceFleetName of Device). The last one is the
// resource's name (ResourceName).
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
	if strings.HasPrefix(member, r.Name) {
		return true
	}
	for _, suffix := range []string{"Name", "Id", "Arn"} {
		if stem, ok := strings.CutSuffix(member, suffix); ok && stem != "" && strings.HasSuffix(r.Name, stem) {
			return true
		}
	}
	return false
}
