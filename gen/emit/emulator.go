package emit

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/resource"
)

// EmulatorTable emits emulator/zz_table.go: for every operation, what the
// local endpoint does with it, and for every resource, its identifiers,
// ARN, status values and list shape, all from the same derivation as
// package resources.
func EmulatorTable(svc *model.Service, set *resource.Set) ([]File, error) {
	f := newFile("emulator")
	f.ImportName(shapesPath, "shapes")
	res := jen.Dict{}
	for _, r := range set.Resources {
		res[jen.Lit(r.Name)] = resourceSpec(r)
	}
	ops := jen.Dict{}
	for name, role := range opRoles(set) {
		rname := ""
		if role.res != nil {
			rname = role.res.Name
		}
		ops[jen.Lit(name)] = opSpec(role.op, rname, role.kind)
	}
	f.Comment("resourceTable describes every resource the model defines (see gen/resource).")
	f.Var().Id("resourceTable").Op("=").Map(jen.String()).Op("*").Id("resourceSpec").Values(res)
	f.Line()
	f.Comment("opTable says what the endpoint does with each operation.")
	f.Var().Id("opTable").Op("=").Map(jen.String()).Op("*").Id("opSpec").Values(ops)
	file, err := render("zz_table.go", f)
	return []File{file}, err
}

// opRole is what the local endpoint does with an operation: its resource
// (nil for client operations) and its kind (create, describe, list,
// update, delete, stop, start, addtags, listtags, deletetags or other).
type opRole struct {
	op   *model.Operation
	res  *resource.Resource
	kind string
}

// opRoles gives every operation of the set its role; the table and the
// generated tests read it, so they cannot disagree.
func opRoles(set *resource.Set) map[string]opRole {
	roles := map[string]opRole{}
	for _, r := range set.Resources {
		add := func(m *resource.Method, kind string) {
			if m != nil {
				roles[m.Op.Name] = opRole{m.Op, r, kind}
			}
		}
		add(r.Describe, "describe")
		for _, m := range r.Methods {
			kind := map[string]string{
				resource.KindCreate: "create", resource.KindUpdate: "update", resource.KindDelete: "delete",
				resource.KindStop: "stop", resource.KindStart: "start", resource.KindList: "list",
			}[m.Kind]
			if kind == "" || (kind == "list" && (r.List == nil || r.List.Method != m)) || (kind != "create" && kind != "list" && !m.Object) {
				kind = "other"
			}
			add(m, kind)
		}
	}
	for _, op := range set.Client {
		kind := "other"
		switch op.Name {
		case "AddTags", "ListTags", "DeleteTags":
			kind = strings.ToLower(op.Name)
		}
		roles[op.Name] = opRole{op, nil, kind}
	}
	return roles
}

func kebab(s string) string { return strings.ReplaceAll(snake(s), "_", "-") }

func firstMember(s *model.Shape, kind model.Kind, names ...string) string {
	if s == nil {
		return ""
	}
	for _, n := range names {
		if m := s.Member(n); m != nil && m.Target.Kind == kind {
			return n
		}
	}
	return ""
}

// pick returns the first status value of the given class, preferring the
// listed spellings.
func pick(r *resource.Resource, c resource.Class, prefer ...string) string {
	if r.Status == nil {
		return ""
	}
	var vals []string
	for _, e := range r.Status.Enum.Enum {
		if r.Status.Classes[e.Value] == c {
			vals = append(vals, e.Value)
		}
	}
	for _, p := range prefer {
		for _, v := range vals {
			if strings.EqualFold(strings.ReplaceAll(v, "_", ""), p) {
				return v
			}
		}
	}
	if len(vals) > 0 {
		return vals[0]
	}
	return ""
}

func resourceSpec(r *resource.Resource) jen.Code {
	d := jen.Dict{jen.Id("Name"): jen.Lit(r.Name), jen.Id("ARNType"): jen.Lit(kebab(r.Name)), jen.Id("Job"): jen.Lit(r.IsJob())}
	var ids []jen.Code
	for _, id := range r.Identifiers {
		ids = append(ids, jen.Lit(id.Name))
	}
	d[jen.Id("IDs")] = jen.Index().String().Values(ids...)
	var out *model.Shape
	if r.Describe != nil {
		out = r.Describe.Op.Output
	}
	if len(r.ARN) == 1 {
		d[jen.Id("ARNMember")] = jen.Lit(r.ARN[0])
	}
	if r.Describe != nil {
		d[jen.Id("Describe")] = jen.Lit(r.Describe.Op.Name)
	}
	if r.Status != nil && len(r.Status.Path) == 1 {
		d[jen.Id("StatusMember")] = jen.Lit(r.Status.Path[0])
		d[jen.Id("Creating")] = jen.Lit(pick(r, resource.Transitional, "InProgress", "Creating", "Pending", "Executing"))
		d[jen.Id("Ready")] = jen.Lit(pick(r, resource.Success, "Completed", "InService", "Created", "Active", "Available", "Succeeded", "Enabled", "Scheduled"))
		d[jen.Id("Updating")] = jen.Lit(pick(r, resource.Transitional, "Updating", "UpdateInProgress"))
		d[jen.Id("Stopping")] = jen.Lit(pick(r, resource.Transitional, "Stopping"))
		d[jen.Id("Stopped")] = jen.Lit(pick(r, resource.Stopped, "Stopped"))
		d[jen.Id("Starting")] = jen.Lit(pick(r, resource.Transitional, "Starting", "Pending"))
		d[jen.Id("Deleting")] = jen.Lit(pick(r, resource.Deleting, "Deleting"))
		d[jen.Id("Failed")] = jen.Lit(pick(r, resource.Failure, "Failed"))
	}
	if len(r.Secondary) == 1 {
		d[jen.Id("SecondaryMember")] = jen.Lit(r.Secondary[0])
	}
	if len(r.Reason) == 1 {
		d[jen.Id("ReasonMember")] = jen.Lit(r.Reason[0])
	}
	d[jen.Id("CreatedMember")] = jen.Lit(firstMember(out, model.KindTimestamp, "CreationTime", "CreatedTime", "CreateTime", "CreationDate", "CreateDate", "CreatedAt"))
	d[jen.Id("ModifiedMember")] = jen.Lit(firstMember(out, model.KindTimestamp, "LastModifiedTime", "LastModifiedDate", "LastUpdatedDate", "LastUpdatedTime", "ModifiedTime"))
	if l := r.List; l != nil {
		d[jen.Id("ListItems")] = jen.Lit(l.Items)
		if l.Summary.Kind == model.KindStructure {
			var ms []jen.Code
			for _, m := range l.Summary.Members {
				ms = append(ms, jen.Lit(m.Name))
			}
			d[jen.Id("SummaryMembers")] = jen.Index().String().Values(ms...)
		}
	}
	d[jen.Id("NotFoundCode")] = jen.Lit(r.NotFound.Code)
	d[jen.Id("NotFoundPrefix")] = jen.Lit(r.NotFound.Message)
	return jen.Values(d)
}

func opSpec(op *model.Operation, res, kind string) jen.Code {
	d := jen.Dict{jen.Id("Resource"): jen.Lit(res), jen.Id("Kind"): jen.Lit(kind)}
	if op.Input != nil {
		d[jen.Id("Input")] = jen.Func().Params().Qual(shapesPath, "Validatable").Block(jen.Return(jen.New(sh(op.Input.Name))))
		var ms []jen.Code
		for _, m := range op.Input.Members {
			ms = append(ms, jen.Lit(m.Name))
		}
		d[jen.Id("InputMembers")] = jen.Index().String().Values(ms...)
	}
	if op.Output != nil {
		var ms []jen.Code
		for _, m := range op.Output.Members {
			ms = append(ms, jen.Lit(m.Name))
		}
		d[jen.Id("OutputMembers")] = jen.Index().String().Values(ms...)
		var ts []jen.Code
		for _, m := range op.Output.Members {
			if m.Target.Kind == model.KindTimestamp {
				ts = append(ts, jen.Lit(m.Name))
			}
		}
		if len(ts) > 0 {
			d[jen.Id("OutputTimes")] = jen.Index().String().Values(ts...)
		}
	}
	return jen.Values(d)
}
