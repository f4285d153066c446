/**
 * The retraining pipeline's public surface: what another capability may use of it. The in-Lambda
 * ONNX evaluator (the graphs the platform's trainers write, float32 as onnxruntime on CPU) scores
 * batch predictions too.
 */
export { onnxFeatureNames, scoreOnnx } from './domain/onnx-scorer';
