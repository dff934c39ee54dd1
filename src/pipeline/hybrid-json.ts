/**
 * A whole hybrid as one JSON document: the blend spec and every component's model, each written by its own
 * `toJSON` and read back by its own validating `fromJSON`, so a blend fitted once is served later without refitting.
 *
 * @module
 */
import { biasRecommender, biasesFromJSON, biasesToJSON, type BiasModel } from "../baselines/bias.ts";
import { popularityFromJSON, popularityRecommender, popularityToJSON, type PopularityModel } from "../baselines/popularity.ts";
import { randomFromJSON, randomRecommender, randomToJSON, type RandomModel } from "../baselines/random.ts";
import { contentFromJSON, contentRecommender, contentToJSON, type ContentModel } from "../content/recommender.ts";
import { lookAlikeFromJSON, lookAlikeRecommender, lookAlikeToJSON, type LookAlikeModel } from "../content/look-alike-recommender.ts";
import { intentFromJSON, intentRecommender, intentToJSON, type IntentModel } from "../content/intent.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import { bprFromJSON, bprRecommender, bprToJSON, type BprModel } from "../factorization/bpr.ts";
import { implicitAlsFromJSON, implicitAlsRecommender, implicitAlsToJSON, type ImplicitAlsModel } from "../factorization/implicit-als.ts";
import {
  matrixFactorizationFromJSON,
  matrixFactorizationRecommender,
  matrixFactorizationToJSON,
  type MatrixFactorizationModel,
} from "../factorization/matrix-factorization.ts";
import { svdPlusPlusFromJSON, svdPlusPlusRecommender, svdPlusPlusToJSON, type SvdPlusPlusModel } from "../factorization/svd-plus-plus.ts";
import { blendFromSpec, type BlendSpec, type BlendedRecommender } from "../hybrid/blend.ts";
import { easeFromJSON, easeRecommender, easeToJSON, type EaseModel } from "../neighbors/ease.ts";
import {
  itemItemImplicitFromJSON,
  itemItemImplicitRecommender,
  itemItemImplicitToJSON,
  type ItemItemImplicitModel,
} from "../neighbors/item-item-implicit.ts";
import { knnFromJSON, knnRecommender, knnToJSON, type KnnModel } from "../neighbors/knn.ts";
import { rp3BetaFromJSON, rp3BetaRecommender, rp3BetaToJSON, type Rp3BetaModel } from "../neighbors/rp3beta.ts";
import type { Recommender } from "../recommend/types.ts";
import { buyAgainFromJSON, buyAgainRecommender, buyAgainToJSON, type BuyAgainModel } from "../repeat/buy-again.ts";
import { repeatPurchaseRecommender, repeatPurchasesFromJSON, repeatPurchasesToJSON, type RepeatPurchaseModel } from "../repeat/repeat-purchases.ts";

/**
 * A fitted model a hybrid document can hold: any of the library's recommender models (by its `kind`).
 *
 * @category pipeline
 */
export type SavableModel =
  | PopularityModel
  | RandomModel
  | BiasModel
  | ItemItemImplicitModel
  | KnnModel
  | EaseModel
  | Rp3BetaModel
  | ImplicitAlsModel
  | BprModel
  | MatrixFactorizationModel
  | SvdPlusPlusModel
  | ContentModel
  | LookAlikeModel
  | IntentModel
  | RepeatPurchaseModel
  | BuyAgainModel;

interface Codec {
  readonly toJSON: (model: never) => unknown;
  readonly fromJSON: (json: unknown) => SavableModel;
  readonly recommender: (model: never) => Recommender;
}

const CODECS: ReadonlyMap<string, Codec> = new Map<string, Codec>([
  ["popularity", { toJSON: popularityToJSON, fromJSON: popularityFromJSON, recommender: popularityRecommender }],
  ["random", { toJSON: randomToJSON, fromJSON: randomFromJSON, recommender: randomRecommender }],
  ["biases", { toJSON: biasesToJSON, fromJSON: biasesFromJSON, recommender: biasRecommender }],
  ["item-item-implicit", { toJSON: itemItemImplicitToJSON, fromJSON: itemItemImplicitFromJSON, recommender: itemItemImplicitRecommender }],
  ["knn", { toJSON: knnToJSON, fromJSON: knnFromJSON, recommender: knnRecommender }],
  ["ease", { toJSON: easeToJSON, fromJSON: easeFromJSON, recommender: easeRecommender }],
  ["rp3beta", { toJSON: rp3BetaToJSON, fromJSON: rp3BetaFromJSON, recommender: rp3BetaRecommender }],
  ["implicit-als", { toJSON: implicitAlsToJSON, fromJSON: implicitAlsFromJSON, recommender: implicitAlsRecommender }],
  ["bpr", { toJSON: bprToJSON, fromJSON: bprFromJSON, recommender: bprRecommender }],
  ["matrix-factorization", { toJSON: matrixFactorizationToJSON, fromJSON: matrixFactorizationFromJSON, recommender: matrixFactorizationRecommender }],
  ["svd-plus-plus", { toJSON: svdPlusPlusToJSON, fromJSON: svdPlusPlusFromJSON, recommender: svdPlusPlusRecommender }],
  ["content", { toJSON: contentToJSON, fromJSON: contentFromJSON, recommender: (model: ContentModel) => contentRecommender(model) }],
  ["look-alike", { toJSON: lookAlikeToJSON, fromJSON: lookAlikeFromJSON, recommender: lookAlikeRecommender }],
  ["intent", { toJSON: intentToJSON, fromJSON: intentFromJSON, recommender: intentRecommender }],
  ["repeat-purchases", { toJSON: repeatPurchasesToJSON, fromJSON: repeatPurchasesFromJSON, recommender: repeatPurchaseRecommender }],
  ["buy-again", { toJSON: buyAgainToJSON, fromJSON: buyAgainFromJSON, recommender: buyAgainRecommender }],
]);

/**
 * The JSON form of a whole hybrid: the blend spec and one model document per component, in the spec's order.
 *
 * @category pipeline
 */
export interface HybridModelJSON {
  /** Always `"hybrid"`. */
  readonly kind: "hybrid";
  /** Format version, 1. */
  readonly version: 1;
  /** The blend: normalisation, missing-score policy, component names and weights. */
  readonly spec: BlendSpec;
  /** Each component's model as its own `toJSON` writes it, by name. */
  readonly components: readonly {
    /** The component's name in the spec. */
    readonly name: string;
    /** The model's own JSON document (its `kind` says which reader reads it). */
    readonly model: unknown;
  }[];
}

/**
 * A hybrid read back by {@link hybridModelFromJSON}: the blended recommender and the component models (for
 * explanations with `narrateRecommendation`, or to serve one component alone).
 *
 * @category pipeline
 */
export interface LoadedHybrid {
  /** The blend, scoring as the saved one did. */
  readonly recommender: BlendedRecommender;
  /** Each component's model, by name. */
  readonly models: ReadonlyMap<string, SavableModel>;
}

/**
 * Writes a whole hybrid as one JSON document: the blend's spec (`hybrid.spec`) and every component's model, each
 * written by its own `toJSON`. Components are matched to the spec by name; every spec component needs its model.
 *
 * Complexity: the sum of the components' `toJSON`.
 *
 * @param hybrid - a blend from `blendRecommenders` or `blendFromSpec`
 * @param models - the model behind each component, by component name
 * @returns the document (`JSON.stringify` it to save)
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a component without its model or a model of an unknown kind
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitPopularity, popularityRecommender } from "nextbest/baselines";
 * import { fitEase, easeRecommender } from "nextbest/neighbors";
 * import { blendRecommenders } from "nextbest/hybrid";
 * import { hybridModelFromJSON, hybridModelToJSON } from "nextbest/pipeline";
 * import { recommend } from "nextbest/recommend";
 * const data = createInteractions([{ user: "a", item: "x" }, { user: "a", item: "y" }, { user: "b", item: "x" }, { user: "c", item: "z" }]);
 * const models = new Map([["ease", fitEase(data)], ["popularity", fitPopularity(data)]] as const);
 * const hybrid = blendRecommenders([
 *   { name: "ease", recommender: easeRecommender(models.get("ease")!), weight: 0.7 },
 *   { name: "popularity", recommender: popularityRecommender(models.get("popularity")!), weight: 0.3 },
 * ]);
 * const saved = JSON.stringify(hybridModelToJSON(hybrid, models));
 * const loaded = hybridModelFromJSON(JSON.parse(saved));
 * recommend(loaded.recommender, "b").items.map((item) => item.item); // => ["y", "z"]
 * ```
 * @category pipeline
 */
export function hybridModelToJSON(hybrid: BlendedRecommender, models: ReadonlyMap<string, SavableModel>): HybridModelJSON {
  const fn = "hybridModelToJSON";
  const spec = (hybrid as { spec?: unknown } | null)?.spec as BlendSpec | undefined;
  if (typeof spec !== "object" || spec === null || spec.kind !== "blend" || !Array.isArray(spec.components)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: hybrid must be a blend from blendRecommenders or blendFromSpec (with its spec), got ${describeValue(hybrid)}`);
  }
  if (!(models instanceof Map)) throw new NextbestError("E_BAD_INPUT", `${fn}: models must be a Map of component name to fitted model, got ${describeValue(models)}`);
  const components = spec.components.map(({ name }) => {
    const model = models.get(name) as { kind?: unknown } | undefined;
    if (model === undefined) throw new NextbestError("E_BAD_INPUT", `${fn}: models must hold the model of every component, got none for ${JSON.stringify(name)}`);
    const codec = typeof model.kind === "string" ? CODECS.get(model.kind) : undefined;
    if (codec === undefined) {
      throw new NextbestError(
        "E_BAD_INPUT",
        `${fn}: models.get(${JSON.stringify(name)}) must be a recommender model of a kind ${[...CODECS.keys()].join(", ")}, got kind ${describeValue(model.kind)}`,
      );
    }
    return { name, model: codec.toJSON(model as never) };
  });
  return { kind: "hybrid", version: 1, spec: JSON.parse(JSON.stringify(spec)) as BlendSpec, components };
}

/**
 * Options of {@link hybridModelFromJSON}.
 *
 * @category pipeline
 */
export interface HybridModelFromJSONOptions {
  /**
   * Builds a component's recommender from its model, for the components that need more than the model (a content
   * model with a firmographic cold start, say); return undefined to take the default recommender of the kind.
   * @defaultValue each kind's own recommender
   */
  recommender?: (name: string, model: SavableModel) => Recommender | undefined;
}

/**
 * Reads a whole hybrid written by {@link hybridModelToJSON}: every component's model through its own validating
 * `fromJSON`, then the blend through `blendFromSpec`, so it scores as the saved hybrid did.
 *
 * Complexity: the sum of the components' `fromJSON` and recommender builds.
 *
 * @param json - the parsed document
 * @param options - a hook for components that need more than their model
 * @returns the blended recommender and the component models
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the field (`json.components[1].model.version …`) for a
 *   malformed document, an unknown kind, or a spec component without its model
 * @example
 * ```ts
 * import { hybridModelFromJSON } from "nextbest/pipeline";
 * hybridModelFromJSON({ kind: "hybrid", version: 1, spec: { kind: "blend", version: 1, name: "h", normalization: "z-score", missing: "min", components: [{ name: "a", weight: 1 }] }, components: [] });
 * // throws NextbestError E_BAD_MODEL: "hybridModelFromJSON: json.components must hold the model of every spec component, got none for \"a\""
 * ```
 * @category pipeline
 */
export function hybridModelFromJSON(json: unknown, options: HybridModelFromJSONOptions = {}): LoadedHybrid {
  const fn = "hybridModelFromJSON";
  const record = json as Partial<HybridModelJSON> | null;
  if (typeof record !== "object" || record === null || record.kind !== "hybrid") {
    throw new NextbestError("E_BAD_MODEL", `${fn}: json.kind must be "hybrid", got ${describeValue(record?.kind ?? json)}`);
  }
  if (record.version !== 1) throw new NextbestError("E_BAD_MODEL", `${fn}: json.version must be 1, got ${describeValue(record.version)}`);
  const spec = record.spec;
  if (typeof spec !== "object" || spec === null || !Array.isArray(spec.components)) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: json.spec must be a blend spec { kind: "blend", components, … }, got ${describeValue(spec)}`);
  }
  if (!Array.isArray(record.components)) throw new NextbestError("E_BAD_MODEL", `${fn}: json.components must be an array, got ${describeValue(record.components)}`);
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const models = new Map<string, SavableModel>();
  const recommenders = new Map<string, Recommender>();
  record.components.forEach((component, c) => {
    const where = `json.components[${c}]`;
    const name = (component as { name?: unknown } | null)?.name;
    if (typeof name !== "string") throw new NextbestError("E_BAD_MODEL", `${fn}: ${where}.name must be a string, got ${describeValue(name)}`);
    if (models.has(name)) throw new NextbestError("E_BAD_MODEL", `${fn}: ${where}.name must be unique, got ${JSON.stringify(name)} again`);
    const modelJSON = (component as { model?: unknown }).model as { kind?: unknown } | undefined;
    const codec = typeof modelJSON?.kind === "string" ? CODECS.get(modelJSON.kind) : undefined;
    if (codec === undefined) {
      throw new NextbestError("E_BAD_MODEL", `${fn}: ${where}.model.kind must be one of ${[...CODECS.keys()].join(", ")}, got ${describeValue(modelJSON?.kind)}`);
    }
    let model: SavableModel;
    try {
      model = codec.fromJSON(modelJSON);
    } catch (error) {
      // The component's reader names `json.…` of its own document: say which component that is.
      if (error instanceof NextbestError) throw new NextbestError(error.code, `${fn}: ${where}.model: ${error.message}`);
      throw error;
    }
    models.set(name, model);
    recommenders.set(name, options.recommender?.(name, model) ?? codec.recommender(model as never));
  });
  for (const { name } of spec.components) {
    if (!models.has(name)) {
      throw new NextbestError("E_BAD_MODEL", `${fn}: json.components must hold the model of every spec component, got none for ${JSON.stringify(name)}`);
    }
  }
  return { recommender: blendFromSpec(spec, recommenders), models };
}
