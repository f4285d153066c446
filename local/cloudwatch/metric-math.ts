/**
 * The subset of CloudWatch metric math the platform's alarms use, over aligned time series
 * (one slot per period; `undefined` is a missing datapoint): + - * / and comparisons elementwise,
 * `FILL(m, value)`, `IF(cond, a, b)`, `MAX/MIN/SUM/AVG([m1, m2, ...])` elementwise, numbers and
 * metric ids. Arithmetic with a missing operand is missing, and so is a division by zero, as in
 * CloudWatch.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 */
export type Series = Array<number | undefined>;
type Value = Series | number | Series[];

type Token = { kind: 'num'; value: number } | { kind: 'id'; value: string } | { kind: 'op'; value: string };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(>=|<=|==|!=|[-+*/()[\],<>]))/y;
  let at = 0;
  while (at < expression.length) {
    if (/^\s*$/.test(expression.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(expression);
    if (!m) throw new Error(`metric math: cannot parse "${expression.slice(at)}"`);
    if (m[1] !== undefined) tokens.push({ kind: 'num', value: Number(m[1]) });
    else if (m[2] !== undefined) tokens.push({ kind: 'id', value: m[2] });
    else tokens.push({ kind: 'op', value: m[3] });
    at = re.lastIndex;
  }
  return tokens;
}

const isSeries = (v: Value): v is Series => Array.isArray(v) && !Array.isArray(v[0]) && v.length >= 0;

/** Evaluates `expression` with `metrics` (id -> series of `length` slots). */
export function evaluateExpression(
  expression: string,
  metrics: Record<string, Series>,
  length: number,
): Series {
  const tokens = tokenize(expression);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (value?: string) => {
    const t = tokens[pos++];
    if (!t || (value !== undefined && t.value !== value))
      throw new Error(`metric math: expected ${value} in "${expression}"`);
    return t;
  };
  const broadcast = (v: Value): Series => {
    if (typeof v === 'number') return Array.from({ length }, () => v);
    if (isSeries(v)) return v;
    throw new Error(`metric math: an array is only valid inside MAX/MIN/SUM/AVG in "${expression}"`);
  };
  const zip = (a: Value, b: Value, f: (x: number, y: number) => number | undefined): Series => {
    const [x, y] = [broadcast(a), broadcast(b)];
    return x.map((v, i) => (v === undefined || y[i] === undefined ? undefined : f(v, y[i] as number)));
  };
  const arith: Record<string, (x: number, y: number) => number | undefined> = {
    '+': (x, y) => x + y,
    '-': (x, y) => x - y,
    '*': (x, y) => x * y,
    '/': (x, y) => (y === 0 ? undefined : x / y),
    '>': (x, y) => Number(x > y),
    '<': (x, y) => Number(x < y),
    '>=': (x, y) => Number(x >= y),
    '<=': (x, y) => Number(x <= y),
    '==': (x, y) => Number(x === y),
    '!=': (x, y) => Number(x !== y),
  };
  const binary = (next: () => Value, ops: string[]) => (): Value => {
    let left = next();
    while (peek()?.kind === 'op' && ops.includes(peek().value as string)) {
      const op = take().value as string;
      left = zip(left, next(), arith[op]);
    }
    return left;
  };
  const functions: Record<string, (args: Value[]) => Value> = {
    FILL: ([m, v]) => {
      const fill = typeof v === 'number' ? v : 0;
      return broadcast(m).map((x) => x ?? fill);
    },
    IF: ([c, a, b]) => {
      const [cs, as, bs] = [broadcast(c), broadcast(a), broadcast(b)];
      return cs.map((x, i) => (x === undefined ? undefined : x !== 0 ? as[i] : bs[i]));
    },
    MAX: ([l]) => reduce(l, (xs) => Math.max(...xs)),
    MIN: ([l]) => reduce(l, (xs) => Math.min(...xs)),
    SUM: ([l]) => reduce(l, (xs) => xs.reduce((s, x) => s + x, 0)),
    AVG: ([l]) => reduce(l, (xs) => xs.reduce((s, x) => s + x, 0) / xs.length),
  };
  const reduce = (l: Value, f: (xs: number[]) => number): Series => {
    const list: Series[] = Array.isArray(l) && Array.isArray(l[0]) ? (l as Series[]) : [broadcast(l)];
    return Array.from({ length }, (_, i) => {
      const xs = list.map((s) => s[i]).filter((x): x is number => x !== undefined);
      return xs.length ? f(xs) : undefined;
    });
  };
  const primary = (): Value => {
    const t = take();
    if (t.kind === 'num') return t.value;
    if (t.kind === 'op' && t.value === '(') {
      const v = comparison();
      take(')');
      return v;
    }
    if (t.kind === 'op' && t.value === '-') return zip(0, primary(), arith['-']);
    if (t.kind === 'op' && t.value === '[') {
      const items: Series[] = [broadcast(comparison())];
      while (peek()?.value === ',') {
        take(',');
        items.push(broadcast(comparison()));
      }
      take(']');
      return items;
    }
    if (t.kind === 'id' && peek()?.value === '(') {
      const fn = functions[String(t.value).toUpperCase()];
      if (!fn) throw new Error(`metric math: function ${t.value} is not supported locally`);
      take('(');
      const args: Value[] = [comparison()];
      while (peek()?.value === ',') {
        take(',');
        args.push(comparison());
      }
      take(')');
      return fn(args);
    }
    if (t.kind === 'id') {
      const series = metrics[String(t.value)];
      if (!series) throw new Error(`metric math: unknown id ${t.value}`);
      return series;
    }
    throw new Error(`metric math: unexpected ${t.value} in "${expression}"`);
  };
  const term = binary(primary, ['*', '/']);
  const sum = binary(term, ['+', '-']);
  const comparison = binary(sum, ['>', '<', '>=', '<=', '==', '!=']);
  const result = comparison();
  if (pos !== tokens.length) throw new Error(`metric math: trailing input in "${expression}"`);
  return broadcast(result);
}
