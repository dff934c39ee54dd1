/**
 * `nextbest/sequence`: sales-stage progression. A small LSTM written on Float64Array (next stage, win probability,
 * days to the next event) with the baselines it must beat (stage-default win rates, an absorbing first-order Markov
 * chain, Markov chains of order 1 to 3 with back-off), step encoding of opportunity histories and event logs, a
 * seeded synthetic generator with a planted long-range dependence, a reader of event-log CSV files and a public
 * scorer of the two next-activity protocols (time split; Tax et al. 2017) with the Markov baselines in the same call.
 *
 * @module sequence
 */
export {
  fitLstm,
  predictLstm,
  predictLstmMany,
  predictLstmSteps,
  lstmToJSON,
  lstmFromJSON,
  type SequenceInput,
  type SequenceExample,
  type LstmOptions,
  type LstmHeadWeights,
  type LstmEpochReport,
  type LstmHyperparameters,
  type LstmTrainingSummary,
  type LstmModel,
  type LstmModelJSON,
  type LstmPrediction,
  type LstmStepPredictions,
} from "./lstm.ts";
export {
  fitStageMarkovChain,
  predictStageMarkovChain,
  stageMarkovChainToJSON,
  stageMarkovChainFromJSON,
  fitNextStageMarkov,
  predictNextStageMarkov,
  nextStageMarkovToJSON,
  nextStageMarkovFromJSON,
  fitStageWinRates,
  stageDefaultWinProbability,
  type StageHistory,
  type StageMarkovChainOptions,
  type StageMarkovChainModel,
  type StageMarkovChainModelJSON,
  type StageMarkovPrediction,
  type NextStageMarkovOptions,
  type NextStageMarkovModel,
  type NextStageMarkovModelJSON,
  type NextStageMarkovContextJSON,
  type NextStageMarkovPrediction,
  type StageWinRatesOptions,
  type StageDefaultOptions,
} from "./markov.ts";
export {
  fitStepEncoder,
  encodeOpportunityHistories,
  stageHistoryOf,
  stepEncoderToJSON,
  stepEncoderFromJSON,
  type OpportunityEvent,
  type OpportunityHistory,
  type StepEncoderOptions,
  type StepEncoder,
  type StepEncoderJSON,
} from "./encode.ts";
export { generateStageHistories, SYNTHETIC_STAGE_ORDER, type GenerateStageHistoriesOptions } from "./synthetic.ts";
export {
  parseEventLogCsv,
  parseHelpdeskCsv,
  splitEventLog,
  fitEventLogEncoder,
  encodeEventLogCases,
  eventLogEncoderFromJSON,
  type ParseEventLogCsvOptions,
  type EventLogCase,
  type EventLogProtocol,
  type SplitEventLogOptions,
  type EventLogSplit,
  type EventLogEncoderOptions,
  type EventLogEncoder,
} from "./event-log.ts";
export {
  scoreEventLogProtocol,
  markovEventLogModel,
  lstmEventLogModel,
  type EventLogScoringProtocol,
  type EventLogCasePrediction,
  type EventLogFitContext,
  type EventLogModel,
  type ScoreEventLogProtocolOptions,
  type PrefixLengthAccuracy,
  type MarkovBaselineScore,
  type EventLogProtocolScore,
  type LstmEventLogModelOptions,
  type MarkovMixtureChoice,
} from "./protocol.ts";
