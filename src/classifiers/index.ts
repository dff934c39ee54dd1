/**
 * `nextbest/classifiers`: small, seeded, serializable classifiers for account scoring — L2-regularised logistic
 * regression (Newton, class weights, closed-form attributions on the log-odds scale) and a one-hidden-layer
 * perceptron (Adam, early stopping, temperature-calibrated probabilities).
 *
 * @module classifiers
 */
export type { ClassWeights, BinaryClassWeights } from "./shared.ts";
export {
  fitLogisticRegression,
  predictLogisticRegression,
  logisticLogOdds,
  logisticAttributions,
  logisticRegressionToJSON,
  logisticRegressionFromJSON,
  type LogisticAttribution,
  type LogisticRegressionOptions,
  type LogisticRegressionModel,
  type LogisticRegressionModelJSON,
} from "./logistic.ts";
export {
  fitMlpClassifier,
  predictMlpClassifier,
  mlpClassifierToJSON,
  mlpClassifierFromJSON,
  type MlpActivation,
  type MlpClassifierOptions,
  type MlpClassifierModel,
  type MlpClassifierModelJSON,
} from "./mlp.ts";
