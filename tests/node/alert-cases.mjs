// alert-cases.mjs RULES OUT - promtool unit tests for the alerts depc
// generates (man/dep.5, MONITORING), written to OUT with a copy of RULES.
//
// For each generated alert the test feeds synthetic series that make its
// condition true for longer than its `for`, then false, and asserts the
// alert fires (with its labels) during the first phase and has resolved
// in the second.  The kind of alert is read from its expression, so a
// change to what alert_rules.c writes that the cases no longer drive is
// a failure, not a silent pass.  Alerts written in the source (`alert`
// blocks) are the user's expressions: they are listed, not driven.  Each
// alert gets a directory of its own, OUT/N/{rules,tests}.yml, holding
// that one rule: promtool tells alerts apart by name only, and two
// services' alerts share one.  The rule has no annotations there:
// promtool compares them exactly, and their templates are checked by
// `promtool check rules` elsewhere.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml');

const [rulesFile, outDir] = process.argv.slice(2);
const doc = yaml.load(fs.readFileSync(rulesFile, 'utf8'));

function minutes(d) {
  const m = /^(\d+)(s|m|h)$/.exec(d || '0s');
  if (!m) throw new Error(`duration '${d}'`);
  const n = Number(m[1]);
  return m[2] === 's' ? Math.ceil(n / 60) : m[2] === 'h' ? n * 60 : n;
}

// Series that hold `bad` for `b` minutes, then `good` for 40: "AxN" repeats.
const steady = (bad, good, b) => `${bad}x${b - 1} ${good}x40`;
const counter = (b) => `0+10x${b + 39}`;
const stops = (b) => `0+10x${b - 1} ${10 * (b - 1)}+0x40`;
const starts = (b) => `0x${b - 1} 0+10x40`;

// Each recipe: expression pattern, series, and the labels the alert has.
const recipes = [
  {
    re: /^up\{job="([^"]+)"\} == 0$/,
    make: ([, job], b) => ({
      series: [[`up{job="${job}",instance="i1"}`, steady(0, 1, b)]],
      labels: { job, instance: 'i1' },
    }),
  },
  {
    re: /^absent\(up\{job="([^"]+)"\}\)$/,
    make: ([, job], b) => ({ series: [[`up{job="${job}",instance="i1"}`, `_x${b - 1} 1x40`]], labels: { job } }),
  },
  {
    re: /rate\((\w+)\{job="([^"]+)",(\w+)=~"5\.\."\}\[\w+\]\)/,
    make: ([, metric, job, status], b) => ({
      series: [
        [`${metric}{job="${job}",instance="i1",${status}="500"}`, stops(b)],
        [`${metric}{job="${job}",instance="i1",${status}="200"}`, counter(b)],
      ],
      labels: {},
    }),
  },
  {
    re: /histogram_quantile\([0-9.]+, sum by \(le\) \(rate\((\w+)_bucket\{job="([^"]+)"\}\[\w+\]\)\)\) > ([0-9.e+-]+)$/,
    make: ([, metric, job, threshold], b) => {
      const t = Number(threshold), bucket = (le) => `${metric}_bucket{job="${job}",instance="i1",le="${le}"}`;
      return {
        series: [[bucket(String(t / 4)), starts(b)], [bucket(String(t * 20)), counter(b)], [bucket('+Inf'), counter(b)]],
        labels: {},
      };
    },
  },
  {
    re: /^node_filesystem_avail_bytes\{job="([^"]+)",fstype!~"[^"]+"\} \/ node_filesystem_size_bytes/,
    make: ([, job], b) => {
      const l = `job="${job}",instance="i1",mountpoint="/",fstype="ext4",device="sda1"`;
      return {
        series: [[`node_filesystem_avail_bytes{${l}}`, steady(5, 50, b)],
          [`node_filesystem_size_bytes{${l}}`, `100x${b + 39}`], [`node_filesystem_readonly{${l}}`, `0x${b + 39}`]],
        labels: { job, instance: 'i1', mountpoint: '/', fstype: 'ext4', device: 'sda1' },
      };
    },
  },
  {
    re: /^node_memory_MemAvailable_bytes\{job="([^"]+)"\} \/ node_memory_MemTotal_bytes\{job="[^"]+"\} < 0\.1$/,
    make: ([, job], b) => ({
      series: [[`node_memory_MemAvailable_bytes{job="${job}",instance="i1"}`, steady(5, 50, b)],
        [`node_memory_MemTotal_bytes{job="${job}",instance="i1"}`, `100x${b + 39}`]],
      labels: { job, instance: 'i1' },
    }),
  },
];

let driven = 0;
const undriven = [];
for (const g of doc.groups) {
  for (const r of g.rules) {
    const { annotations, ...rule } = r;
    if (!r.alert) continue;
    const recipe = recipes.find((x) => x.re.test(r.expr));
    // Generated alerts carry a `service` label or watch node-exporter;
    // anything else is an `alert` block of the source.
    if (!recipe) {
      if ((r.labels || {}).service || /node-exporter/.test(r.expr))
        throw new Error(`generated alert ${r.alert} has an expression no case drives: ${r.expr}`);
      undriven.push(r.alert);
      continue;
    }
    const b = minutes(r.for) + 20;
    const { series, labels } = recipe.make(recipe.re.exec(r.expr), b);
    const exp = { ...(r.labels || {}), ...labels };
    const test = {
      interval: '1m',
      input_series: series.map(([s, values]) => ({ series: s, values })),
      alert_rule_test: [
        { eval_time: `${b - 2}m`, alertname: r.alert, exp_alerts: [{ exp_labels: exp }] },
        { eval_time: `${b + 30}m`, alertname: r.alert, exp_alerts: [] },
      ],
    };
    const dir = path.join(outDir, String(++driven));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'rules.yml'), yaml.dump({ groups: [{ name: g.name, rules: [rule] }] }));
    fs.writeFileSync(path.join(dir, 'tests.yml'),
      yaml.dump({ rule_files: ['rules.yml'], evaluation_interval: '1m', tests: [test] }));
  }
}
console.log(`${driven} alerts driven${undriven.length ? `; written in the source, not driven: ${undriven.join(', ')}` : ''}`);
