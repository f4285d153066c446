import { z } from 'zod';
import { ROUTES } from './contracts/routes';
type J = any;
function walk(s: J, path: string, defs: J, out: string[]) {
  if (!s || typeof s !== 'object') return;
  if (s.$ref) { const d = defs?.[s.$ref.split('/').pop()]; if (d && !path.includes('$ref')) walk(d, path + '$ref', defs, out); return; }
  for (const k of ['anyOf', 'oneOf', 'allOf']) if (s[k]) s[k].forEach((x: J, i: number) => walk(x, path, defs, out));
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes('string') && s.maxLength === undefined && !s.enum && s.const === undefined && !(s.pattern && !/[*+]|,\}/.test(s.pattern))) out.push(`${path}: string unbounded ${s.pattern ?? ''}${s.format ?? ''}`);
  if (types.includes('array')) { if (s.maxItems === undefined && !s.prefixItems) out.push(`${path}: array unbounded`); if (s.items) walk(s.items, path + '[]', defs, out); }
  if (types.includes('object') || s.properties) {
    for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, `${path}.${k}`, defs, out);
    if (s.additionalProperties && typeof s.additionalProperties === 'object') { if (s.maxProperties === undefined) out.push(`${path}: record unbounded`); walk(s.propertyNames, path + '{key}', defs, out); walk(s.additionalProperties, path + '{}', defs, out); }
  }
  if (types.includes(undefined) && !s.anyOf && !s.oneOf && !s.allOf && !s.$ref && Object.keys(s).filter(k=>k!=='description'&&k!=='default').length === 0) out.push(`${path}: any`);
}
for (const r of ROUTES) {
  const out: string[] = [];
  for (const part of ['body', 'query'] as const) { const sch = (r as any)[part]; if (!sch) continue; const j: J = z.toJSONSchema(sch, { io: 'input', unrepresentable: 'any' }); walk(j, part, j.$defs, out); }
  if (out.length) console.log(r.id, '\n  ' + out.join('\n  '));
}
