// Printing: every table is a Markdown pipe table, so the terminal output and RESULTS.md are
// the same text.

/** Format a table; numbers are expected to be pre-formatted strings. */
export function formatTable(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map((c) => String(c ?? '—')));
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? ':' + '-'.repeat(w + 1) : '-'.repeat(w + 1) + ':')).join('|')}|`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

/** A number with `digits` decimals, or '—' when not finite. */
export function num(value, digits = 1) {
  if (value === undefined || value === null || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** a / b as "0.42×", or '—'. */
export function ratio(a, b, digits = 2) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '—';
  return `${num(a / b, digits)}×`;
}

export const yesNo = (ok) => (ok === undefined ? '—' : ok ? 'yes' : '**no**');

export const bytes = (n) => {
  if (!Number.isFinite(n)) return '—';
  if (n >= 1 << 20) return `${num(n / (1 << 20), 1)} MiB`;
  if (n >= 1 << 10) return `${num(n / (1 << 10), 1)} KiB`;
  return `${n} B`;
};

/** Print (and collect, for RESULTS.md) one workload's report. */
export function renderReport(report) {
  const parts = [`## ${report.title}`, ''];
  for (const line of report.notes ?? []) parts.push(line);
  if (report.notes?.length) parts.push('');
  for (const t of report.tables) {
    if (t.title) parts.push(`**${t.title}**`, '');
    parts.push(formatTable(t.headers, t.rows), '');
    for (const line of t.notes ?? []) parts.push(line);
    if (t.notes?.length) parts.push('');
  }
  return parts.join('\n');
}
