// Number formatting for plain-words reports and profiles (drift, segments): deterministic (no locale), thousands
// separated. Not exported by any barrel.

/** A readable number: integers with thousands separators from 100 up, three significant digits below. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  if (abs === 0) return "0";
  return String(Number(value.toPrecision(3)));
}

/** A share as a whole percentage ("35%"), one decimal under 10% ("2.5%"). */
export function formatPercent(share: number): string {
  const p = share * 100;
  return `${Math.abs(p) < 10 && p !== 0 ? String(Number(p.toFixed(1))) : String(Math.round(p))}%`;
}
