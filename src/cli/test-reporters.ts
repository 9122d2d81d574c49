import { type CheckedStep, caseFailed, cellLabel, type SuiteCase, stepLabel } from './test-suite';

export const REPORTERS = ['default', 'tap', 'junit'] as const;
export type ReporterName = (typeof REPORTERS)[number];
export const isReporter = (s: string): s is ReporterName => (REPORTERS as readonly string[]).includes(s);

const show = (v: string | null) => (v === null ? 'null' : v);

export function mismatchText(s: CheckedStep): string[] {
  return s.mismatches.map((m) => `${stepLabel(s)}: ${m.field}: expected ${show(m.expected)}, got ${show(m.got)}`);
}

interface Totals {
  cases: number;
  failedCases: number;
  malformed: number;
  expectations: number;
  failedExpectations: number;
}

export function totalsOf(cases: readonly SuiteCase[]): Totals {
  const t: Totals = { cases: cases.length, failedCases: 0, malformed: 0, expectations: 0, failedExpectations: 0 };
  for (const c of cases) {
    if (c.kind === 'malformed') {
      t.malformed++;
      continue;
    }
    if (caseFailed(c)) t.failedCases++;
    t.expectations += c.steps.length;
    t.failedExpectations += c.steps.filter((s) => s.mismatches.length > 0).length;
  }
  return t;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** The readable report: one line per file (and matrix cell), each missed expectation under it, then the totals. */
export function defaultReport(cases: readonly SuiteCase[]): string {
  const out: string[] = [];
  for (const c of cases) {
    const name = `${c.file}${cellLabel(c.cell)}`;
    if (c.kind === 'malformed') {
      out.push(`ERROR ${name}: ${c.message}`);
    } else if (caseFailed(c)) {
      out.push(`FAIL  ${name}`);
      for (const s of c.steps) for (const line of mismatchText(s)) out.push(`      ${line}`);
    } else {
      out.push(`ok    ${name} (${plural(c.steps.length, 'expectation')})`);
    }
  }
  const t = totalsOf(cases);
  const files = new Set(cases.map((c) => c.file)).size;
  // Over a --profile/--host matrix each file runs once per cell: count the runs, and say how they multiply.
  const what =
    files === t.cases
      ? plural(t.cases, 'file')
      : `${plural(t.cases, 'run')} (${plural(files, 'file')} × ${t.cases / files} cells)`;
  out.push(
    `${what}: ${t.cases - t.failedCases - t.malformed} passed, ${t.failedCases} failed, ` +
      `${t.malformed} malformed; ${plural(t.expectations, 'expectation')}, ${t.failedExpectations} failed`,
  );
  return `${out.join('\n')}\n`;
}

const yamlString = (s: string) => JSON.stringify(s);

/** TAP version 14: one test point per file (and matrix cell); what failed in a YAML block under it. */
export function tapReport(cases: readonly SuiteCase[]): string {
  const out = ['TAP version 14', `1..${cases.length}`];
  cases.forEach((c, i) => {
    const name = `${c.file}${cellLabel(c.cell)}`;
    if (c.kind === 'malformed') {
      out.push(`not ok ${i + 1} - ${name}`, '  ---', `  message: ${yamlString(`malformed: ${c.message}`)}`, '  ...');
    } else if (caseFailed(c)) {
      out.push(`not ok ${i + 1} - ${name}`, '  ---', '  failures:');
      for (const s of c.steps) {
        for (const m of s.mismatches) {
          out.push(
            `    - step: ${s.step}`,
            `      at: ${yamlString(stepLabel(s))}`,
            `      field: ${m.field}`,
            `      expected: ${yamlString(show(m.expected))}`,
            `      got: ${yamlString(show(m.got))}`,
          );
        }
      }
      out.push('  ...');
    } else {
      out.push(`ok ${i + 1} - ${name} # ${plural(c.steps.length, 'expectation')}`);
    }
  });
  return `${out.join('\n')}\n`;
}

function xml(s: string): string {
  return s.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * JUnit XML (the dialect Jenkins, GitLab and GitHub reporters read): a testsuite per file (and matrix cell), a
 * testcase per step that carries `expect`, a <failure> with expected vs got; a malformed file is one <error>.
 */
export function junitReport(cases: readonly SuiteCase[]): string {
  const t = totalsOf(cases);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="msrfilter test" tests="${t.expectations + t.malformed}" failures="${t.failedExpectations}" errors="${t.malformed}">`,
  ];
  for (const c of cases) {
    const name = xml(`${c.file}${cellLabel(c.cell)}`);
    if (c.kind === 'malformed') {
      out.push(
        `  <testsuite name="${name}" tests="1" failures="0" errors="1">`,
        `    <testcase classname="${name}" name="(file)">`,
        `      <error type="malformed" message="${xml(c.message)}">${xml(c.message)}</error>`,
        '    </testcase>',
        '  </testsuite>',
      );
      continue;
    }
    const failures = c.steps.filter((s) => s.mismatches.length > 0).length;
    out.push(`  <testsuite name="${name}" tests="${c.steps.length}" failures="${failures}" errors="0">`);
    for (const s of c.steps) {
      const open = `    <testcase classname="${name}" name="${xml(stepLabel(s))}"`;
      if (!s.mismatches.length) {
        out.push(`${open}/>`);
        continue;
      }
      const text = mismatchText(s).join('\n');
      const message = s.mismatches
        .map((m) => `${m.field}: expected ${show(m.expected)}, got ${show(m.got)}`)
        .join('; ');
      out.push(
        `${open}>`,
        `      <failure type="expectation" message="${xml(message)}">${xml(text)}</failure>`,
        '    </testcase>',
      );
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

export function report(name: ReporterName, cases: readonly SuiteCase[]): string {
  return name === 'tap' ? tapReport(cases) : name === 'junit' ? junitReport(cases) : defaultReport(cases);
}
