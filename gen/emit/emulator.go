package emit

import (
	"github.com/dave/jennifer/jen"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/plan"
)

// EmulatorTable emits emulator/internal/sagemaker/zz_table.go (package
// sagemaker, the endpoint's SageMaker service): for every operation, what the
// local endpoint does with it, and for every resource, its identifiers,
// ARN, status values, list shape and the facts the model lacks (ARN
// layout, prerequisite), all from the plan, which package resources is
// rendered from too.
func EmulatorTable(p *plan.Plan) ([]File, error) {
	f := newFile("sagemaker")
	f.ImportName(shapesPath, "shapes")
	res := jen.Dict{}
	for _, r := range p.Resources {
		res[jen.Lit(r.Name)] = resourceSpec(r)
	}
	ops := jen.Dict{}
	for name, role := range p.Roles {
		rname := ""
		if role.Resource != nil {
			rname = role.Resource.Name
		}
		ops[jen.Lit(name)] = opSpec(role, rname)
	}
	f.Comment("resourceTable describes every resource the model defines (see gen/plan).")
	f.Var().Id("resourceTable").Op("=").Map(jen.String()).Op("*").Id("resourceSpec").Values(res)
	f.Line()
	f.Comment("opTable says what the endpoint does with each operation.")
	f.Var().Id("opTable").Op("=").Map(jen.String()).Op("*").Id("opSpec").Values(ops)
	f.Line()
	var filters []jen.Code
	for _, m := range p.ListFilters {
		filters = append(filters, jen.Line().Lit(m).Op(":").True())
	}
	if len(filters) > 0 {
		filters = append(filters, jen.Line())
	}
	f.Comment("listFilters are the list request members the endpoint applies (gen/resource/overrides.json listFilters).")
	f.Var().Id("listFilters").Op("=").Map(jen.String()).Bool().Values(filters...)
	file, err := render("zz_table.go", f)
	return []File{file}, err
}

func resourceSpec(r *plan.Resource) jen.Code {
	e := r.Emulator
	d := jen.Dict{jen.Id("Name"): jen.Lit(r.Name), jen.Id("ARNType"): jen.Lit(e.ARNType), jen.Id("Job"): jen.Lit(e.Job)}
	var ids []jen.Code
	for _, id := range r.Identifiers {
		ids = append(ids, jen.Lit(id.Name))
	}
	d[jen.Id("IDs")] = jen.Index().String().Values(ids...)
	if len(r.ARN) == 1 {
		d[jen.Id("ARNMember")] = jen.Lit(r.ARN[0])
	}
	if e.ARNLayout != "" {
		d[jen.Id("ARNLayout")] = jen.Lit(e.ARNLayout)
	}
	if e.CaseInsensitive {
		d[jen.Id("CaseInsensitive")] = jen.True()
	}
	if r.Describe != nil {
		d[jen.Id("Describe")] = jen.Lit(r.Describe.Op.Name)
	}
	if r.Status != nil && len(r.Status.Path) == 1 {
		d[jen.Id("StatusMember")] = jen.Lit(r.Status.Path[0])
		d[jen.Id("Creating")] = jen.Lit(e.Creating)
		d[jen.Id("Ready")] = jen.Lit(e.Ready)
		d[jen.Id("Updating")] = jen.Lit(e.Updating)
		d[jen.Id("Stopping")] = jen.Lit(e.Stopping)
		d[jen.Id("Stopped")] = jen.Lit(e.Stopped)
		d[jen.Id("Starting")] = jen.Lit(e.Starting)
		d[jen.Id("Deleting")] = jen.Lit(e.Deleting)
		d[jen.Id("Failed")] = jen.Lit(e.Failed)
	}
	if len(r.Secondary) == 1 {
		d[jen.Id("SecondaryMember")] = jen.Lit(r.Secondary[0])
	}
	if len(r.Reason) == 1 {
		d[jen.Id("ReasonMember")] = jen.Lit(r.Reason[0])
	}
	d[jen.Id("CreatedMember")] = jen.Lit(e.CreatedMember)
	d[jen.Id("ModifiedMember")] = jen.Lit(e.ModifiedMember)
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
	if r.Prereq != nil {
		d[jen.Id("Prerequisite")] = jen.Lit(r.Prereq.Kind.Name)
		d[jen.Id("PrerequisiteMember")] = jen.Lit(r.Prereq.Member)
	}
	return jen.Values(d)
}

func opSpec(role plan.Role, res string) jen.Code {
	op := role.Op
	d := jen.Dict{jen.Id("Resource"): jen.Lit(res), jen.Id("Kind"): jen.Lit(role.Kind)}
	if len(role.Merges) > 0 {
		var ms []jen.Code
		for _, m := range role.Merges {
			ms = append(ms, jen.Lit(m))
		}
		d[jen.Id("Merges")] = jen.Index().String().Values(ms...)
	}
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
