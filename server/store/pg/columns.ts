/**
 * How a record's fields are stored: one column each. Every field of the record type must be listed
 * (the mapped type makes a new field a compile error here), and a NULL column is a field the record
 * does not have, so optional fields round-trip exactly.
 */
export type ColumnMap<T> = { readonly [K in keyof Required<T>]: Column };

export interface Column {
  name: string;
  /** The SQL type a parameter is cast to where PostgreSQL cannot infer it (INSERT … SELECT $n). */
  cast?: string;
  /** Objects kept as jsonb: sent as JSON text (node-postgres would send arrays as SQL arrays). */
  json?: boolean;
}

/** Fields whose value is an SQL expression (e.g. the seq the statement takes from the counter). */
export type Computed<T> = Partial<Record<keyof T, string>>;

export const col = (name: string, cast?: string): Column => ({ name, cast });
export const jsonCol = (name: string): Column => ({ name, cast: 'jsonb', json: true });

export class Columns<T> {
  /** Column names in field order. */
  readonly names: string[];
  private readonly entries: Array<[string, Column]>;

  constructor(map: ColumnMap<T>) {
    this.entries = Object.entries(map) as Array<[string, Column]>;
    this.names = this.entries.map(([, column]) => column.name);
  }

  /** The record in a row (or in `to_jsonb(row)`); NULL columns are left out. */
  fromRow(row: Record<string, unknown>): T {
    const record: Record<string, unknown> = {};
    for (const [field, column] of this.entries) {
      const value = row[column.name];
      if (value !== null && value !== undefined) record[field] = value;
    }
    return record as T;
  }

  /** Parameter values in column order, without the `computed` fields; a missing field is NULL. */
  values(record: Partial<T>, computed: Computed<T> = {}): unknown[] {
    return this.entries.filter(([field]) => !(field in computed)).map(([field, column]) => encode(column, (record as Record<string, unknown>)[field]));
  }

  /**
   * `$first, $first+1, …` with casts, in column order, for VALUES or the select list of INSERT …
   * SELECT; a `computed` field is the SQL expression given instead and takes no parameter.
   */
  params(first: number, computed: Computed<T> = {}): string {
    let next = first;
    return this.entries
      .map(([field, column]) => (field in computed ? computed[field as keyof T]! : `$${next++}${column.cast ? `::${column.cast}` : ''}`))
      .join(', ');
  }

  /** How many parameters `params` takes. */
  count(computed: Computed<T> = {}): number {
    return this.entries.filter(([field]) => !(field in computed)).length;
  }

  column(field: keyof T): Column {
    const entry = this.entries.find(([name]) => name === field);
    if (!entry) throw new Error(`no column for field ${String(field)}`);
    return entry[1];
  }

  /** The value of one field as its column takes it. */
  encode(field: keyof T, value: unknown): unknown {
    return encode(this.column(field), value);
  }
}

function encode(column: Column, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return column.json ? JSON.stringify(value) : value;
}
