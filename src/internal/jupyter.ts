// Rich display in notebooks: Deno's Jupyter kernel calls `value[Symbol.for("Jupyter.display")]()` on a cell's result
// and shows the returned MIME bundle (HTML, SVG) instead of the object's text. The hook is a non-enumerable symbol
// property, so JSON.stringify, Object.keys, spreading and equality checks never see it. Not exported by any barrel.

const DISPLAY = Symbol.for("Jupyter.display");

/** A MIME bundle: MIME type to content, e.g. `{ "text/html": "<table>…</table>" }`. */
export type MimeBundle = Record<string, string>;

/** Attaches the notebook display hook to `value` (before it is frozen) and returns it. */
export function attachDisplay<T extends object>(value: T, render: () => MimeBundle): T {
  Object.defineProperty(value, DISPLAY, { value: render, enumerable: false, configurable: false, writable: false });
  return value;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const INTEGER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const SIGNIFICANT = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 });

/** A compact HTML table; numbers read as "13,270" and "0.08395" (4 significant digits, grouped), everything is escaped. */
export function htmlTable(headers: readonly string[], rows: readonly (readonly (string | number | null)[])[], caption?: string): string {
  const number = (value: number): string => (Number.isInteger(value) ? INTEGER : SIGNIFICANT).format(value);
  const cell = (value: string | number | null): string =>
    value === null ? "" : typeof value === "number" ? escapeHtml(Number.isFinite(value) ? number(value) : String(value)) : escapeHtml(value);
  const head = headers.map((h) => `<th style="text-align:left">${escapeHtml(h)}</th>`).join("");
  const body = rows.map((row) => `<tr>${row.map((v) => `<td>${cell(v)}</td>`).join("")}</tr>`).join("");
  return `<table>${caption === undefined ? "" : `<caption style="text-align:left">${escapeHtml(caption)}</caption>`}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
