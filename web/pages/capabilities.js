// pages/capabilities.js - the capability pages, every chart an SVG drawn
// here from the API's JSON.  Envelope: for a date, destination and design,
// the largest TPP per outcome, and small multiples of the TPP x density
// regions, one per memory-bandwidth band (the regions whose bandwidth
// bounds contain the chosen interconnect); "derate" a chip towards a goal.
// Timeline (#/timeline/CHIP): a chip's answer over time, each change with
// its rule sets.  Changes: what changed between two dates for the catalog,
// and the rule-change feed.  Compare: estimated throughput of every chip
// for a task, shippable ones apart, and a chip's capability with formulas.
import { api } from '../api.js';
import { el, svg, today, words, num, errorBox, isoDate } from '../dom.js';
import { withCountryName } from '../countries.js';

const CLASSES = ['no_license_required', 'license_exception', 'presumption_of_approval',
  'case_by_case', 'presumption_of_denial'];
const cls = (c) => `o-${CLASSES.includes(c) ? c : 'other'}`;
const q = (o) => Object.entries(o).filter(([, v]) => v !== '' && v != null)
  .map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');

function field(label, input) { return el('label', {}, label, ' ', input); }
// The order facts every capability answer takes (as check's): end use,
// attestations, and (for derate, timeline, changes) a datacenter override.
const END_USES = ['', 'none', 'supercomputer', 'advanced_ic', 'military', 'military_end_user'];
function factFields(withDatacenter) {
  const f = {
    end_use: el('select', { name: 'end_use' }, END_USES.map((u) => el('option', { value: u }, u ? words(u) : 'no restricted end use'))),
    attest: el('input', { name: 'attest', placeholder: 'us-available,us-supply,…', size: 18 }),
  };
  if (withDatacenter) f.datacenter = el('select', { name: 'datacenter' }, el('option', { value: '' }, 'as the chip says'),
    el('option', { value: 1 }, 'yes'), el('option', { value: 0 }, 'no'));
  return f;
}
const factQuery = (ff) => ({ end_use: ff.end_use.value, attest: ff.attest.value, datacenter: ff.datacenter?.value });
const factInputs = (ff) => [field('End use', ff.end_use), field('Attestations', ff.attest),
  ...(ff.datacenter ? [field('Datacenter', ff.datacenter)] : [])];
// Every answer states its assumptions.
const assumptions = (a) => el('ul', { class: 'muted assumptions' }, (a.assumptions ?? []).map((s) => el('li', {}, s)));
function legend() {
  return el('p', { class: 'legend' }, CLASSES.map((c) => el('span', { class: `key ${cls(c)}` }, words(c))));
}
async function chipSelect(name, selected) {
  const chips = await api.get(`/v1/chips?on=${today()}`);
  return el('select', { name }, chips.map((c) => el('option', { value: c.id, selected: c.id === selected }, `${c.id} (${c.name ?? c.id})`)));
}

// ---- envelope ---------------------------------------------------------

function inside(b, v) {
  if (!b) return true;
  if (v < b.from || (v === b.from && !b.from_closed)) return false;
  if (b.to === null) return true;
  return v < b.to || (v === b.to && b.to_closed);
}

// One TPP x performance-density panel for a memory bandwidth.
function panel(env, mem, io, title) {
  const W = 300, H = 210, L = 44, B = 28, T = 18, R = 8;
  const tmax = Math.max(...env.axes.tpp.thresholds.map((t) => t.value), 4800) * 1.25;
  const pmax = Math.max(...(env.axes.pd?.thresholds ?? []).map((t) => t.value), 6) * 1.5;
  const x = (v) => L + (Math.min(v ?? tmax, tmax) / tmax) * (W - L - R);
  const y = (v) => H - B - (Math.min(v ?? pmax, pmax) / pmax) * (H - B - T);
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'envelope', role: 'img', 'data-memory-bw': mem });
  g.append(svg('title', {}, title), svg('text', { x: L, y: 12, class: 'axis' }, title));
  for (const r of env.regions) {
    const b = r.bounds;
    if (!inside(b.memory_bw_gbs, mem) || !inside(b.io_bw_gbs, io) || !inside(b.memory_plus_io_bw_gbs, mem + io)) continue;
    const t = b.tpp ?? { from: 0, to: null }, p = b.pd ?? { from: 0, to: null };
    const edges = ['tpp', 'pd'].flatMap((a) => [...(b[a]?.from_rules ?? []), ...(b[a]?.to_rules ?? [])].map((e) => e.rule));
    const rect = svg('rect', { x: x(t.from), y: y(p.to), width: Math.max(0, x(t.to) - x(t.from)),
      height: Math.max(0, y(p.from) - y(p.to)), class: cls(r.outcome), 'data-outcome': r.outcome });
    rect.append(svg('title', {}, `${words(r.outcome)}: TPP ${t.from}-${t.to ?? '∞'}, density ${p.from}-${p.to ?? '∞'}; edges: ${[...new Set(edges)].join(', ') || 'none'}`));
    g.append(rect);
  }
  // Only real edges are drawn: where crossing the threshold changes the outcome.
  for (const e of env.edges ?? []) {
    const w = e.where;
    if (!['tpp', 'pd'].includes(e.axis) || !inside(w.memory_bw_gbs, mem) || !inside(w.io_bw_gbs, io) ||
        !inside(w.memory_plus_io_bw_gbs, mem + io)) continue;
    const other = e.axis === 'tpp' ? (w.pd ?? { from: 0, to: null }) : (w.tpp ?? { from: 0, to: null });
    const line = e.axis === 'tpp'
      ? svg('line', { x1: x(e.at), x2: x(e.at), y1: y(other.from), y2: y(other.to), class: 'edge', 'data-axis': 'tpp' })
      : svg('line', { x1: x(other.from), x2: x(other.to), y1: y(e.at), y2: y(e.at), class: 'edge', 'data-axis': 'pd' });
    const side = (o) => `${words(o.class)}${o.exception ? ` (${o.exception})` : ''}${o.undetermined ? ' (undetermined)' : ''}`;
    line.append(svg('title', {}, `${e.axis} ${e.at}: ${side(env.outcomes[e.below_id])} → ${side(env.outcomes[e.above_id])} [${e.rules.map((r) => r.rule).join(', ')}]`));
    g.append(line);
  }
  g.append(svg('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, class: 'base' }),
    svg('line', { x1: L, x2: L, y1: T, y2: H - B, class: 'base' }),
    svg('text', { x: W - R, y: H - 6, class: 'axis', 'text-anchor': 'end' }, 'TPP'),
    svg('text', { x: 4, y: T + 8, class: 'axis' }, 'PD'));
  for (const t of env.axes.tpp.thresholds.filter((t) => t.value >= 1000))
    g.append(svg('text', { x: x(t.value), y: H - B + 12, class: 'tick', 'text-anchor': 'middle' }, num(t.value)));
  for (const t of env.axes.pd?.thresholds ?? [])
    g.append(svg('text', { x: L - 3, y: y(t.value) + 3, class: 'tick', 'text-anchor': 'end' }, t.value));
  return g;
}

async function drawEnvelope(out, f) {
  out.replaceChildren(el('p', {}, 'Computing…'));
  const env = await api.get(`/v1/envelope?${q({ on: f.on.value, to: f.to.value, hq: f.hq.value, vendor: f.vendor.value,
    datacenter: f.datacenter.value, die_area: f.area.value, memory_bw: f.mem.value, io_bw: f.io.value,
    end_use: f.facts.end_use.value, attest: f.facts.attest.value })}`);
  const lt = env.headline.largest_tpp;
  const line = (k) => el('li', {}, `${words(k)}: `, lt[k].tpp === null ? lt[k].text
    : `TPP ${lt[k].attained ? '≤' : '<'} ${num(lt[k].tpp)}`);
  const d = env.headline.design;
  const mems = [0, ...(env.axes.memory_bw_gbs?.thresholds ?? []).map((t) => t.value)];
  const io = Number(f.io.value);
  const panels = el('div', { class: 'multiples' }, mems.map((m, i) => {
    const next = mems[i + 1];
    const rep = next === undefined ? m * 1.2 + 100 : (m + next) / 2;
    return panel(env, rep, io, `memory ${num(m)}${next === undefined ? '+' : `–${num(next)}`} GB/s`);
  }));
  out.replaceChildren(
    el('h3', {}, `Largest TPP for ${num(d.die_area_mm2)} mm², memory ${num(d.memory_bw_gbs)} GB/s, interconnect ${num(d.io_bw_gbs)} GB/s`),
    el('ul', { id: 'headline' }, Object.keys(lt).map(line)),
    el('h3', {}, `Regions by memory bandwidth (interconnect ${num(io)} GB/s)`), legend(), panels,
    el('p', { class: 'muted' }, `${env.regions.length} regions and ${(env.edges ?? []).length} edges from ${num(env.cells_evaluated)} cells; lines are the edges where the outcome changes (hover one for its rules).`),
    assumptions(env));
}

async function drawDerate(out, f) {
  out.replaceChildren(el('p', {}, 'Computing…'));
  const d = await api.get(`/v1/chips/${encodeURIComponent(f.chip.value)}/derate?${q({ on: f.on.value, to: f.to.value, hq: f.hq.value, goal: f.goal.value, ...factQuery(f.facts) })}`);
  out.replaceChildren(el('p', {}, `${d.chip_name}: now ${words(d.current.outcome)} (TPP ${num(d.current.tpp)}, memory ${num(d.current.memory_bw_gbs)} GB/s, interconnect ${num(d.current.io_bw_gbs)} GB/s)`),
    d.alternatives.length ? el('ol', { id: 'derate-list' }, d.alternatives.map((a) => el('li', {},
      a.cuts.length ? a.cuts.map((c) => `${words(c.metric)} ${num(c.from)} → ${c.strictly_below ? '< ' : ''}${num(c.to, 1)} (−${c.percent.toFixed(1)}%)`).join(', ') : 'no cut needed',
      ` ⇒ ${words(a.outcome)} (direct check: ${a.direct_check.agrees ? 'agrees' : 'differs'})`)))
      : el('p', { class: 'warn' }, 'No cut of these figures reaches the goal.'),
    d.rejected_by_direct_check.length ? el('p', { class: 'warn' }, `${d.rejected_by_direct_check.length} cut(s) the envelope allows are rejected by the direct check: a rule names this product.`) : '',
    el('p', { class: 'muted' }, d.note), assumptions(d));
}

export async function envelope(root, params) {
  const f = {
    on: el('input', { ...isoDate, value: today() }), to: el('input', { value: 'CN', size: 12 }),
    hq: el('input', { value: 'CN', size: 12 }), vendor: el('input', { placeholder: 'any vendor', size: 10 }),
    datacenter: el('select', {}, el('option', { value: 1 }, 'yes'), el('option', { value: 0 }, 'no')),
    area: el('input', { type: 'number', value: 800, min: 1 }), mem: el('input', { type: 'number', value: 4000, min: 0 }),
    io: el('input', { type: 'number', value: 900, min: 0 }), facts: factFields(false),
  };
  const out = el('div', { id: 'envelope-out' }), dout = el('div', { id: 'derate-out' });
  const dform = { on: f.on, to: f.to, hq: f.hq, chip: await chipSelect('chip', params[0] ?? 'nv-h100-sxm'),
    goal: el('select', {}, ['no_license_required', 'license_exception', 'case_by_case'].map((g) => el('option', { value: g }, words(g)))),
    facts: factFields(true) };
  const run = (fn, o, fo) => (ev) => { ev?.preventDefault(); fn(o, fo).catch((e) => o.replaceChildren(errorBox(e))); };
  root.append(el('h2', {}, 'Design envelope'),
    el('form', { class: 'grid', id: 'envelope-form', onsubmit: run(drawEnvelope, out, f) },
      field('On', f.on), field('To', withCountryName(f.to)), field('HQ', withCountryName(f.hq)), field('Vendor', f.vendor), field('Datacenter', f.datacenter),
      field('Die area mm²', f.area), field('Memory GB/s', f.mem), field('Interconnect GB/s', f.io), ...factInputs(f.facts), el('button', {}, 'Show')),
    out, el('h2', {}, 'Derate a chip'),
    el('form', { class: 'grid', id: 'derate-form', onsubmit: run(drawDerate, dout, dform) },
      field('Chip', dform.chip), field('Goal', dform.goal), ...factInputs(dform.facts), el('button', {}, 'Derate')), dout);
  await drawEnvelope(out, f);
  if (params[0]) await drawDerate(dout, dform);
}

// ---- timeline and changes -------------------------------------------

// Steps [{on, class, ...}] from `from` to `until` as coloured bands.
function band(steps, from, until, W = 760, H = 34) {
  const t0 = Date.parse(from), t1 = Date.parse(until) + 864e5;
  const x = (d) => 4 + ((Date.parse(d) - t0) / (t1 - t0)) * (W - 8);
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'band', role: 'img' });
  steps.forEach((s, i) => {
    const end = steps[i + 1]?.on ?? until;
    const r = svg('rect', { x: x(s.on), y: 4, width: Math.max(1, x(end) - x(s.on) + (steps[i + 1] ? 0 : (W - 8) / ((t1 - t0) / 864e5))), height: H - 16, class: cls(s.class), 'data-on': s.on, 'data-class': s.class });
    r.append(svg('title', {}, `${s.on}: ${words(s.class)}, ECCN ${s.eccn ?? '-'}${s.payment_rate ? `, payment ${s.payment_rate * 100}%` : ''}${s.caused_by?.length ? ` — by ${s.caused_by.map((c) => `${c.rule_set} (${c.event})`).join(', ')}` : ''}`));
    g.append(r);
  });
  for (let y = new Date(from).getUTCFullYear() + 1; y <= new Date(until).getUTCFullYear(); y++)
    g.append(svg('text', { x: x(`${y}-01-01`), y: H - 1, class: 'tick', 'text-anchor': 'middle' }, y));
  return g;
}

export async function timeline(root, params) {
  const f = { chip: await chipSelect('chip', params[0] ?? 'nv-h20'), to: el('input', { value: 'CN', size: 12 }),
    hq: el('input', { value: 'CN', size: 12 }), since: el('input', { ...isoDate, value: '2022-10-01' }), until: el('input', { ...isoDate, value: today() }),
    facts: factFields(true) };
  const out = el('div', { id: 'timeline-out' });
  const draw = async () => {
    const t = await api.get(`/v1/chips/${encodeURIComponent(f.chip.value)}/timeline?${q({ to: f.to.value, hq: f.hq.value, since: f.since.value, until: f.until.value, ...factQuery(f.facts) })}`);
    out.replaceChildren(el('h3', {}, `${t.chip_name} to ${t.to}`), legend(), band(t.timeline, t.from, t.until),
      el('table', {}, el('tr', {}, ['On', 'Answer', 'ECCN', 'Payment', 'Caused by'].map((h) => el('th', {}, h))),
        t.timeline.map((s) => el('tr', {}, el('td', {}, s.on), el('td', {}, words(s.class)), el('td', {}, s.eccn ?? '-'),
          el('td', {}, s.payment_rate ? `${s.payment_rate * 100}%` : ''), el('td', {}, (s.caused_by ?? []).map((c) => `${c.rule_set} (${c.event})`).join('; '))))),
      assumptions(t));
  };
  root.append(el('h2', {}, 'Timeline'), el('form', { class: 'grid', onsubmit: (ev) => { ev.preventDefault(); draw().catch((e) => out.replaceChildren(errorBox(e))); } },
    field('Chip', f.chip), field('To', withCountryName(f.to)), field('HQ', withCountryName(f.hq)), field('From', f.since), field('Until', f.until), ...factInputs(f.facts), el('button', {}, 'Show')), out);
  await draw();
}

export async function changes(root) {
  const f = { from: el('input', { ...isoDate, value: '2022-10-01' }), until: el('input', { ...isoDate, value: today() }),
    to: el('input', { value: 'CN', size: 12 }), hq: el('input', { value: 'CN', size: 12 }), facts: factFields(true) };
  const out = el('div', { id: 'changes-out' });
  const draw = async () => {
    const [d, feed] = await Promise.all([api.get(`/v1/diff?${q({ from: f.from.value, until: f.until.value, to: f.to.value, hq: f.hq.value, ...factQuery(f.facts) })}`),
      api.get(`/v1/rules/changes?since=${f.from.value}`)]);
    out.replaceChildren(el('h3', {}, `${d.changed.length} chips changed, ${d.unchanged.length} unchanged`), legend(),
      el('table', { id: 'changes-table' }, d.changed.map((c) => el('tr', {},
        el('td', {}, el('a', { href: `#/timeline/${encodeURIComponent(c.chip)}` }, c.chip)),
        el('td', {}, `${words(c.before.class)} → ${words(c.after.class)}`),
        el('td', {}, band([c.before, ...c.steps], d.from, d.until, 420, 26))))),
      assumptions(d),
      el('h3', {}, 'Rule-set events'), el('ul', {}, feed.changes.map((e) => el('li', {}, `${e.on} ${words(e.event)}: ${e.rule_set} (${e.jurisdiction}; ${e.verification})`))));
  };
  root.append(el('h2', {}, 'What changed'), el('form', { class: 'grid', onsubmit: (ev) => { ev.preventDefault(); draw().catch((e) => out.replaceChildren(errorBox(e))); } },
    field('From', f.from), field('Until', f.until), field('To', withCountryName(f.to)), field('HQ', withCountryName(f.hq)), ...factInputs(f.facts), el('button', {}, 'Show')), out);
  await draw();
}

// ---- compare ----------------------------------------------------------

function bars(rows, unit) {
  const W = 760, row = 18, L = 130, H = rows.length * row + 10;
  const max = Math.max(...rows.map((r) => r.tokens_per_s ?? 0), 1);
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'hbars', role: 'img' });
  rows.forEach((r, i) => {
    const w = ((r.tokens_per_s ?? 0) / max) * (W - L - 120);
    const b = svg('g', { 'data-chip': r.chip, class: r.shippable ? 'ship' : 'lic' });
    b.append(svg('text', { x: L - 6, y: i * row + 13, class: 'axis', 'text-anchor': 'end' }, r.chip),
      svg('rect', { x: L, y: i * row + 3, width: Math.max(0, w), height: row - 6 }),
      svg('text', { x: L + w + 4, y: i * row + 13, class: 'value' }, r.tokens_per_s == null ? 'unknown' : `${num(r.tokens_per_s, 1)} ${unit}${r.to_match_reference ? ` ×${num(r.to_match_reference)}` : ''}`),
      svg('title', {}, `${r.chip}: ${words(r.review_policy ?? r.verdict)}; ${r.estimate.formula}`));
    g.append(b);
  });
  return g;
}

export async function compare(root) {
  const f = { on: el('input', { ...isoDate, value: today() }), to: el('input', { value: 'CN', size: 12 }),
    task: el('select', {}, el('option', { value: 'inference' }, 'inference (decode)'), el('option', { value: 'training' }, 'training')),
    params: el('input', { type: 'number', value: 70e9 }), precision: el('input', { value: 'fp8', size: 5 }), count: el('input', { type: 'number', value: 1000, min: 1 }) };
  const out = el('div', { id: 'compare-out' });
  const draw = async () => {
    const c = await api.get(`/v1/compare?${q({ on: f.on.value, to: f.to.value, hq: f.to.value, task: f.task.value, model_params: f.params.value, precision: f.precision.value, count: f.count.value })}`);
    out.replaceChildren(el('h3', {}, `Shippable to ${c.to} on ${c.on} (no license or an exception)`),
      bars(c.shippable, 'tok/s'), el('h3', {}, 'License required'), bars(c.license_required, 'tok/s'),
      el('p', { class: 'muted' }, `×N: chips matching ${c.reference.count} ${c.reference.chip}. ${c.note}`));
  };
  root.append(el('h2', {}, 'Compare chips for a task'), el('form', { class: 'grid', onsubmit: (ev) => { ev.preventDefault(); draw().catch((e) => out.replaceChildren(errorBox(e))); } },
    field('On', f.on), field('To', withCountryName(f.to)), field('Task', f.task), field('Parameters', f.params), field('Precision', f.precision),
    field('Match N H100s', f.count), el('button', {}, 'Compare')), out);
  await draw();
}
