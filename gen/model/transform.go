package model

import "fmt"

// NameOperationShapes renames every operation's input and output shape to
// <Operation>Input and <Operation>Output, as aws-sdk-go-v2 names them:
// models name them inconsistently (CreateTrainingJobRequest beside
// CreateEndpointInput), and the SDK types they convert to then share
// their name. Other shapes keep the model's names. Running it again
// changes nothing. A shape used by two operations, or a new name taken by
// another shape, is an error.
func (s *Service) NameOperationShapes() error {
	want := map[*Shape]string{}
	for _, op := range s.SortedOperations() {
		for sh, name := range map[*Shape]string{op.Input: op.Name + "Input", op.Output: op.Name + "Output"} {
			if sh == nil {
				continue
			}
			if prev, ok := want[sh]; ok && prev != name {
				return fmt.Errorf("model: shape %s is used by two operations (%s and %s)", sh.Name, prev, name)
			}
			want[sh] = name
		}
	}
	for sh, name := range want {
		if other := s.Shapes[name]; other != nil && other != sh {
			if _, renamed := want[other]; !renamed {
				return fmt.Errorf("model: cannot name %s %s: a shape of that name exists", sh.Name, name)
			}
		}
	}
	for sh := range want {
		delete(s.Shapes, sh.Name)
	}
	for sh, name := range want {
		sh.Name = name
		s.Shapes[name] = sh
	}
	return nil
}
