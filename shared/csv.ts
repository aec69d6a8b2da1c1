/**
 * CSV cells that are safe to open in a spreadsheet. Log fields are attacker-controlled: a value
 * starting with `=`, `+`, `-`, `@`, tab or carriage return would run as a formula, so it gets a
 * leading apostrophe (OWASP's advice). Quoting follows RFC 4180.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvRow(values: readonly unknown[]): string {
  return values.map(csvCell).join(',');
}
