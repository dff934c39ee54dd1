/**
 * The models the CLI fits by name, their JSON round trip, and the hybrid of item-kNN, content and popularity.
 *
 * @module
 */
import { fitPopularity, popularityFromJSON, popularityRecommender, popularityToJSON } from "../baselines/popularity.ts";
import { fitRandom, randomFromJSON, randomRecommender, randomToJSON } from "../baselines/random.ts";
import { fitFirmographicProjection } from "../content/projection.ts";
import { contentFromJSON, contentRecommender, contentToJSON, fitContentRecommender, type ContentModel } from "../content/recommender.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import type { ProgressCallback } from "../core/progress.ts";
import { splitRandom } from "../data/split-random.ts";
import { splitTemporal } from "../data/split-temporal.ts";
import type { Interactions } from "../data/types.ts";
import { bprFromJSON, bprRecommender, bprToJSON, fitBpr } from "../factorization/bpr.ts";
import { fitImplicitAls, implicitAlsFromJSON, implicitAlsRecommender, implicitAlsToJSON } from "../factorization/implicit-als.ts";
import { blendFromSpec, blendRecommenders } from "../hybrid/blend.ts";
import { learnBlendWeights, type BlendComponentFactory } from "../hybrid/learn-weights.ts";
import { hybridModelFromJSON, hybridModelToJSON, type SavableModel } from "../pipeline/hybrid-json.ts";
import {
  fitItemItemImplicit,
  itemItemImplicitFromJSON,
  itemItemImplicitRecommender,
  itemItemImplicitToJSON,
} from "../neighbors/item-item-implicit.ts";
import type { Recommender } from "../recommend/types.ts";
import type { NarratableModel } from "../explain/recommendation-narrative.ts";
import { formatCount } from "./output.ts";
import type { FeatureTable } from "./tables.ts";

/** The model names the CLI accepts. @internal */
export const MODEL_KINDS = ["popularity", "random", "item-knn", "als", "bpr", "content", "hybrid"] as const;

/** A model name the CLI accepts. @internal */
export type ModelKind = (typeof MODEL_KINDS)[number];

/** The hybrid's component names, in blend order. @internal */
export const HYBRID_COMPONENTS = ["cf", "content", "popularity"] as const;

/** The hybrid's default weights (z-score blend): collaborative filtering first, product fit second, popularity a tie-breaker. @internal */
export const DEFAULT_HYBRID_WEIGHTS: ReadonlyMap<string, number> = new Map([
  ["cf", 0.5],
  ["content", 0.4],
  ["popularity", 0.1],
]);

/** What fitting needs besides the interactions. @internal */
export interface ModelContext {
  /** Seeds every random choice (ALS and BPR initialization, BPR sampling, random scores, the weight-learning split). */
  readonly seed: number;
  /** The product table (content and hybrid). */
  readonly items: FeatureTable | undefined;
  /** The account table (firmographic cold start of content and hybrid). */
  readonly accounts: FeatureTable | undefined;
  /** The hybrid's weights by component name (weight 0 leaves a component out). */
  readonly weights: ReadonlyMap<string, number>;
  /** Learn the hybrid's weights on a validation split of the training data instead. */
  readonly learnWeights: boolean;
  /** Reports a step on stderr (progress); `steps(label)` gives a fit's `onProgress` (a bar on a terminal). */
  readonly progress: { (message: string): void; steps(label: string): ProgressCallback };
  /** Writes a warning on stderr (always; each distinct message once). */
  readonly warn: (message: string) => void;
}

/** A fitted model: its recommender, and its JSON form for `--model-out` (the hybrid's is the whole-hybrid document). @internal */
export interface FittedModel {
  /** The recommender on the shared contract. */
  readonly recommender: Recommender;
  /** The model's JSON (single models), for `--model-out`. */
  readonly json: unknown;
  /** A one-line description for progress output, e.g. the learned weights. */
  readonly note: string | undefined;
  /** The fitted models `--explain` tells reasons from: the single model by its kind, or the hybrid's components by name. */
  readonly narratable: ReadonlyMap<string, NarratableModel>;
}

function needItems(kind: string, context: ModelContext): FeatureTable {
  if (context.items === undefined) {
    throw new NextbestError("E_BAD_INPUT", `--model ${kind} needs a product table: add --items FILE (id column + feature columns)`);
  }
  return context.items;
}

// The content recommender with the firmographic cold start when an account table is given.
function contentWithAccounts(model: ContentModel, accounts: FeatureTable | undefined): Recommender {
  if (accounts === undefined) return contentRecommender(model);
  const known = model.users.lookup;
  if (!accounts.ids.some((id) => known.has(id))) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `--accounts must hold at least one account of the interactions (to learn the firmographic projection), got none of ${formatCount(accounts.ids.length)} ids`,
    );
  }
  const projection = fitFirmographicProjection(model, accounts);
  return contentRecommender(model, { accounts, projection });
}

function fitContent(train: Interactions, context: ModelContext): ContentModel {
  const items = needItems("content", context);
  const catalog = new Set(items.ids);
  const missing = train.items.ids.filter((id) => !catalog.has(String(id)));
  if (missing.length > 0) {
    context.warn(
      `${formatCount(missing.length)} of ${formatCount(train.items.ids.length)} interaction items have no row in the product table (e.g. ${describeValue(missing[0])}); the content model leaves them out`,
    );
  }
  return fitContentRecommender(train, items, { missingItems: "ignore" });
}

/**
 * Fits one model by name on `train`.
 *
 * @throws NextbestError for a model that needs a missing table, and whatever the fit throws
 * @internal
 */
export function fitModel(kind: ModelKind, train: Interactions, context: ModelContext): FittedModel {
  switch (kind) {
    case "popularity": {
      const model = fitPopularity(train);
      return { recommender: popularityRecommender(model), json: popularityToJSON(model), note: undefined, narratable: new Map([[kind, model]]) };
    }
    case "random": {
      const model = fitRandom(train, { seed: context.seed });
      return { recommender: randomRecommender(model), json: randomToJSON(model), note: undefined, narratable: new Map() };
    }
    case "item-knn": {
      const model = fitItemItemImplicit(train, { onProgress: context.progress.steps("fitting item-knn") });
      return { recommender: itemItemImplicitRecommender(model), json: itemItemImplicitToJSON(model), note: undefined, narratable: new Map([[kind, model]]) };
    }
    case "als": {
      const model = fitImplicitAls(train, { seed: context.seed, onProgress: context.progress.steps("fitting als") });
      return { recommender: implicitAlsRecommender(model), json: implicitAlsToJSON(model), note: undefined, narratable: new Map([[kind, model]]) };
    }
    case "bpr": {
      const model = fitBpr(train, { seed: context.seed, onProgress: context.progress.steps("fitting bpr") });
      return { recommender: bprRecommender(model), json: bprToJSON(model), note: undefined, narratable: new Map() };
    }
    case "content": {
      const model = fitContent(train, context);
      return { recommender: contentWithAccounts(model, context.accounts), json: contentToJSON(model), note: undefined, narratable: new Map([[kind, model]]) };
    }
    case "hybrid":
      return fitHybrid(train, context);
  }
}

// Each hybrid component's fit, keeping the fitted model so --explain can tell its evidence.
function hybridFactories(context: ModelContext, names: readonly string[], fitted: Map<string, NarratableModel>): BlendComponentFactory[] {
  const all: Record<(typeof HYBRID_COMPONENTS)[number], (train: Interactions) => Recommender> = {
    cf: (train) => {
      const model = fitItemItemImplicit(train, { onProgress: context.progress.steps("fitting item-knn") });
      fitted.set("cf", model);
      return itemItemImplicitRecommender(model);
    },
    content: (train) => {
      const model = fitContent(train, context);
      fitted.set("content", model);
      return contentWithAccounts(model, context.accounts);
    },
    popularity: (train) => {
      const model = fitPopularity(train);
      fitted.set("popularity", model);
      return popularityRecommender(model);
    },
  };
  return names.map((name) => ({ name, factory: all[name as (typeof HYBRID_COMPONENTS)[number]] }));
}

// The validation split for learning weights: the latest 20% by time when the data has timestamps, else a seeded 20%.
function validationSplit(train: Interactions, seed: number): { train: Interactions; test: Interactions } {
  return train.timestamps !== undefined ? splitTemporal(train, { testFraction: 0.2 }) : splitRandom(train, { testFraction: 0.2, seed });
}

function fitHybrid(train: Interactions, context: ModelContext): FittedModel {
  needItems("hybrid", context);
  const fitted = new Map<string, NarratableModel>();
  if (context.learnWeights) {
    const factories = hybridFactories(context, HYBRID_COMPONENTS, fitted);
    const learned = learnBlendWeights(validationSplit(train, context.seed), factories, {
      metric: "ndcg@10",
      seed: context.seed,
      onProgress: context.progress.steps("learning the hybrid's weights"),
    });
    // Refitted on all of train last, so `fitted` holds the models behind the final components.
    const components = new Map(factories.map((f) => [f.name, f.factory(train)] as const));
    const weights = learned.spec.components.map((c) => `${c.name}=${Number(c.weight.toFixed(3))}`).join(", ");
    const recommender = blendFromSpec(learned.spec, components);
    return {
      recommender,
      json: hybridModelToJSON(recommender, fitted as ReadonlyMap<string, SavableModel>),
      note: `learned weights ${weights} (validation ndcg@10 ${learned.value.toFixed(4)}, equal weights ${learned.baseline.toFixed(4)})`,
      narratable: fitted,
    };
  }
  const names = HYBRID_COMPONENTS.filter((name) => (context.weights.get(name) ?? 0) > 0);
  const factories = hybridFactories(context, names, fitted);
  const components = factories.map((f) => ({ name: f.name, recommender: f.factory(train), weight: context.weights.get(f.name)! }));
  const recommender = blendRecommenders(components);
  return { recommender, json: hybridModelToJSON(recommender, fitted as ReadonlyMap<string, SavableModel>), note: undefined, narratable: fitted };
}

/** The model JSON kinds `--model-in` reads, by the CLI's model name. @internal */
export const JSON_KINDS: ReadonlyMap<string, ModelKind> = new Map([
  ["popularity", "popularity"],
  ["random", "random"],
  ["item-item-implicit", "item-knn"],
  ["implicit-als", "als"],
  ["bpr", "bpr"],
  ["content", "content"],
  ["hybrid", "hybrid"],
]);

/**
 * Rebuilds a recommender from a model's parsed JSON (from `--model-out`), choosing the reader by its `kind`.
 *
 * @throws NextbestError `E_BAD_MODEL` for an unknown kind or a malformed model
 * @internal
 */
export function loadModel(json: unknown, accounts: FeatureTable | undefined): { kind: ModelKind; recommender: Recommender; narratable: ReadonlyMap<string, NarratableModel> } {
  const kindField = typeof json === "object" && json !== null ? (json as { kind?: unknown }).kind : undefined;
  const kind = typeof kindField === "string" ? JSON_KINDS.get(kindField) : undefined;
  if (kind === undefined) {
    throw new NextbestError(
      "E_BAD_MODEL",
      `--model-in: json.kind must be one of ${[...JSON_KINDS.keys()].map((k) => JSON.stringify(k)).join(", ")}, got ${describeValue(kindField)}`,
    );
  }
  switch (kind) {
    case "popularity": {
      const model = popularityFromJSON(json);
      return { kind, recommender: popularityRecommender(model), narratable: new Map([[kind, model]]) };
    }
    case "random":
      return { kind, recommender: randomRecommender(randomFromJSON(json)), narratable: new Map() };
    case "item-knn": {
      const model = itemItemImplicitFromJSON(json);
      return { kind, recommender: itemItemImplicitRecommender(model), narratable: new Map([[kind, model]]) };
    }
    case "als": {
      const model = implicitAlsFromJSON(json);
      return { kind, recommender: implicitAlsRecommender(model), narratable: new Map([[kind, model]]) };
    }
    case "bpr":
      return { kind, recommender: bprRecommender(bprFromJSON(json)), narratable: new Map() };
    case "hybrid": {
      const loaded = hybridModelFromJSON(json, {
        recommender: (_name, model) => (model.kind === "content" ? contentWithAccounts(model, accounts) : undefined),
      });
      return { kind, recommender: loaded.recommender, narratable: loaded.models as ReadonlyMap<string, NarratableModel> };
    }
    default: {
      const model = contentFromJSON(json);
      return { kind, recommender: contentWithAccounts(model, accounts), narratable: new Map([[kind, model]]) };
    }
  }
}
