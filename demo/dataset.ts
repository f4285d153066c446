/**
 * The demo's data: the Wisconsin breast cancer dataset (569 patients, 30 measurements, `target` 1
 * benign / 0 malignant; sklearn's `load_breast_cancer`, the fixture the tests use too) split into
 * two cohorts. Patients 1-300 are the history v1 learns from. From patient 301 on, a new imaging
 * device reads every measurement 25% larger: traffic drifts, and a model trained on the old
 * cohort misjudges the new one, while a model retrained on both does not.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FEATURE_VIEW = 'demo_tumor';
export const ENTITY = 'patient_id';
export const LABEL = 'target';
/** Patients measured on the old device. */
export const HISTORY_SIZE = 300;
/** The new device's calibration error. */
export const DEVICE_SHIFT = 1.25;

export interface Patient {
  readonly id: number;
  /** The 30 measurements, in the dataset's column order (the model's input order). */
  readonly measurements: readonly number[];
  readonly label: number;
}

export interface Dataset {
  readonly features: readonly string[];
  /** Patients 1..300, measured on the old device. */
  readonly history: readonly Patient[];
  /** Patients 301..569, measured on the new device (shifted). */
  readonly newDevice: readonly Patient[];
}

export function loadDataset(
  file = join(__dirname, '..', 'test', 'fixtures', 'datasets', 'breast-cancer.csv'),
): Dataset {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const columns = header.split(',');
  const labelAt = columns.indexOf(LABEL);
  const features = columns.filter((c) => c !== LABEL);
  const patients = lines.map((line, i) => {
    const values = line.split(',').map(Number);
    return {
      id: i + 1,
      measurements: values.filter((_, c) => c !== labelAt),
      label: values[labelAt],
    };
  });
  return {
    features,
    history: patients.slice(0, HISTORY_SIZE),
    newDevice: patients.slice(HISTORY_SIZE).map((p) => ({
      ...p,
      // Rounded as the device would print them; keeps the numbers readable in captures.
      measurements: p.measurements.map((v) => Number((v * DEVICE_SHIFT).toPrecision(6))),
    })),
  };
}

/** A feature-store row of a patient measured at `at`. */
export function featureRow(
  features: readonly string[],
  p: Patient,
  at: Date,
): Record<string, number | string> {
  const row: Record<string, number | string> = { [ENTITY]: p.id, event_timestamp: at.toISOString() };
  features.forEach((f, i) => {
    row[f] = p.measurements[i];
  });
  return row;
}
