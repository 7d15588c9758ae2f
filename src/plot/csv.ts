// The experiments' rows as CSV (RFC 4180: a header line, comma-separated, quoted only when needed, empty for no
// value), the same from the command line and from the app's export.
import type { ClientsRow, Fig16Row } from '../protocol/experiments';

export const FIG16_COLUMNS = ['range', 'trial', 'electionMs', 'writeMs', 'terms'] as const;
export const CLIENTS_COLUMNS = ['system', 'clients', 'opsPerSecond', 'p50Ms', 'p99Ms', 'errors'] as const;

export function fig16Csv(rows: readonly Fig16Row[]): string {
  return toCsv(FIG16_COLUMNS, rows.map((row) => [row.range, row.trial, ms(row.electionMs), ms(row.writeMs), row.terms]));
}

export function clientsCsv(rows: readonly ClientsRow[]): string {
  return toCsv(CLIENTS_COLUMNS, rows.map((row) => [row.system, row.clients, Math.round(row.opsPerSecond * 10) / 10, ms(row.p50Ms),
    ms(row.p99Ms), row.errors]));
}

function ms(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : Math.round(value * 100) / 100;
}

export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (value: string | number | null): string => {
    if (value === null) return '';
    const text = String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\n') + '\n';
}
