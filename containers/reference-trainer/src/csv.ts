/**
 * Reads the training channel's CSV: a header row of column names, numeric values, one label
 * column. Quoting is not supported: training data is numeric.
 */

export interface Dataset {
  readonly featureNames: readonly string[];
  readonly rows: number[][];
  readonly labels: number[];
}

/** Parses CSV text; throws naming the line and column of the first bad value. */
export function parseCsv(text: string, labelColumn: string, source = 'csv'): Dataset {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) throw new Error(`${source}: needs a header and at least one row`);
  const header = lines[0].split(',').map((h) => h.trim());
  const labelIndex = header.indexOf(labelColumn);
  if (labelIndex < 0) throw new Error(`${source}: no label column "${labelColumn}" in the header`);
  const featureNames = header.filter((_, j) => j !== labelIndex);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',');
    if (cells.length !== header.length) {
      throw new Error(`${source}:${i + 1}: ${cells.length} values, the header has ${header.length}`);
    }
    const values = cells.map((c, j) => {
      const v = Number(c);
      if (c.trim() === '' || !Number.isFinite(v))
        throw new Error(`${source}:${i + 1}: ${header[j]} is not a number: "${c}"`);
      return v;
    });
    labels.push(values[labelIndex]);
    rows.push(values.filter((_, j) => j !== labelIndex));
  }
  return { featureNames, rows, labels };
}

/** Concatenates data sets read from several files of one channel; headers must agree. */
export function concatDatasets(parts: readonly Dataset[]): Dataset {
  if (parts.length === 0) throw new Error('the channel has no .csv files');
  const names = parts[0].featureNames.join(',');
  for (const p of parts) {
    if (p.featureNames.join(',') !== names)
      throw new Error('CSV files of one channel have different headers');
  }
  return {
    featureNames: parts[0].featureNames,
    rows: parts.flatMap((p) => p.rows),
    labels: parts.flatMap((p) => p.labels),
  };
}
