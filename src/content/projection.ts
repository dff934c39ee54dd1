/**
 * A learned projection from account firmographics to product-feature space, for the content cold start.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { uniqueIdIndex } from "../core/id-index.ts";
import { choleskySolveWithFactor, tryCholeskyFactor } from "../linalg/solvers.ts";
import type { DenseMatrix } from "../linalg/types.ts";
import type { ContentItems, ContentModel } from "./recommender.ts";
import { checkAccountTable } from "./similarity.ts";

/**
 * Options of {@link fitFirmographicProjection}.
 *
 * @category content
 */
export interface FirmographicProjectionOptions {
  /** Ridge penalty λ > 0 on the projection's entries (keeps it stable with few accounts or correlated features). @defaultValue 1 */
  ridge?: number;
}

/**
 * Learns the projection W that maps an account's firmographic vector to a content profile, by ridge regression of
 * the known accounts' profiles on their firmographics: W = (AᵀA + λI)⁻¹ AᵀP, where A holds the firmographic rows of
 * the model's accounts that have both a row in `accounts` and a non-zero profile, and P their unit profiles (the
 * regression-based profile mapping used for cold-start users, e.g. Gantner et al., "Learning attribute-to-feature
 * mappings for cold-start recommendations", ICDM 2010). Pass the result as `projection` to `contentRecommender` so
 * prospects are scored by what similar customers bought.
 *
 * Complexity: O(m · f² + f³ + m · f · d) for m training accounts, f firmographic and d product features.
 *
 * @param model - a fitted content model
 * @param accounts - encoded firmographics of accounts (known and others; only the model's accounts are used)
 * @param options - ridge penalty
 * @returns a new `f × d` Float64 {@link linalg!DenseMatrix}
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a bad argument or ridge; `E_SHAPE` when features and ids
 *   disagree; `E_DUPLICATE` for a repeated id; `E_EMPTY` when no account of the model has firmographics and a profile;
 *   `E_NON_FINITE` when the features are so large that AᵀA overflows; `E_NOT_CONVERGED` when the ridge is too small for
 *   collinear features. Every message names `fitFirmographicProjection` and the argument (`accounts.ids[2]`, ...)
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { denseFromRows } from "nextbest/linalg";
 * import { contentRecommender, fitContentRecommender, fitFirmographicProjection } from "nextbest/content";
 * import { recommend } from "nextbest/recommend";
 * // Products: [sales, finance] features. Manufacturers bought the sales tool, retailers the finance tool.
 * const purchases = createInteractions([{ user: "m1", item: "crm" }, { user: "r1", item: "erp" }]);
 * const model = fitContentRecommender(purchases, { ids: ["crm", "erp"], features: denseFromRows([[1, 0], [0, 1]]) });
 * // Firmographics: [manufacturing, retail]; "m2" is a manufacturing prospect.
 * const accounts = { ids: ["m1", "r1", "m2"], features: denseFromRows([[1, 0], [0, 1], [1, 0]]) };
 * const projection = fitFirmographicProjection(model, accounts, { ridge: 0.1 });
 * const content = contentRecommender(model, { accounts, projection });
 * recommend(content, "m2", { k: 1 }).items[0].item; // => "crm"
 * ```
 * @category content
 */
export function fitFirmographicProjection(
  model: ContentModel,
  accounts: ContentItems,
  options: FirmographicProjectionOptions = {},
): DenseMatrix {
  const fn = "fitFirmographicProjection";
  if (typeof model !== "object" || model === null || model.kind !== "content" || !(model.profiles instanceof Float64Array)) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: model must be a content model (from fitContentRecommender), got ${describeValue(model)}`);
  }
  checkAccountTable(fn, "accounts", accounts);
  const a = accounts.features;
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  const ridge = options.ridge ?? 1;
  if (typeof ridge !== "number" || !Number.isFinite(ridge) || ridge <= 0) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.ridge must be a finite number > 0, got ${describeValue(ridge)}`);
  }
  const rowOf = uniqueIdIndex(fn, "accounts.ids", accounts.ids).lookup;
  const f = a.cols;
  const d = model.dimension;
  const { profiles } = model;
  const ata = new Float64Array(f * f);
  const atp = new Float64Array(f * d);
  let used = 0;
  const userIds = model.users.ids;
  for (let u = 0; u < userIds.length; u++) {
    const row = rowOf.get(userIds[u]!);
    if (row === undefined) continue;
    const po = u * d;
    let nonZero = false;
    for (let j = 0; j < d; j++) if (profiles[po + j] !== 0) { nonZero = true; break; }
    if (!nonZero) continue;
    used++;
    const ao = row * f;
    for (let i = 0; i < f; i++) {
      const x = a.data[ao + i]!;
      if (x === 0) continue;
      for (let k = 0; k < f; k++) ata[i * f + k] = ata[i * f + k]! + x * a.data[ao + k]!;
      for (let j = 0; j < d; j++) atp[i * d + j] = atp[i * d + j]! + x * profiles[po + j]!;
    }
  }
  if (used === 0) {
    throw new NextbestError("E_EMPTY", `${fn}: accounts must include at least one of the model's accounts with a non-zero profile, got none of ${userIds.length}`);
  }
  if (f === 0) return { rows: 0, cols: d, data: new Float64Array(0) };
  for (let p = 0; p < ata.length; p++) {
    if (!Number.isFinite(ata[p]!)) {
      throw new NextbestError(
        "E_NON_FINITE",
        `${fn}: accounts.features must be small enough for a finite Gram matrix AᵀA, got ${ata[p]} for columns ${Math.floor(p / f)} and ${p % f} (rescale the features)`,
      );
    }
  }
  for (let p = 0; p < atp.length; p++) {
    if (!Number.isFinite(atp[p]!)) {
      throw new NextbestError(
        "E_NON_FINITE",
        `${fn}: accounts.features must be small enough for finite products with the model's profiles, got ${atp[p]} for column ${Math.floor(p / d)} (rescale the features)`,
      );
    }
  }
  const factor = tryCholeskyFactor({ rows: f, cols: f, data: ata }, ridge);
  if (typeof factor === "number") {
    throw new NextbestError(
      "E_NOT_CONVERGED",
      `${fn}: options.ridge must make AᵀA + ridge·I positive definite (accounts.features column ${factor} is collinear with earlier ones to working precision), got ${ridge}; raise it`,
    );
  }
  const out = new Float64Array(f * d);
  const rhs = new Float64Array(f);
  const solution = new Float64Array(f);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < f; i++) rhs[i] = atp[i * d + j]!;
    choleskySolveWithFactor(factor, rhs, { out: solution });
    for (let i = 0; i < f; i++) out[i * d + j] = solution[i]!;
  }
  return { rows: f, cols: d, data: out };
}
