package highlevel

// applyTrainerDefaults fills the configuration from the config file's
// SageMaker.PythonSDK.Modules.ModelTrainer keys (only what is unset).
func (t *ModelTrainer) applyTrainerDefaults() {}
