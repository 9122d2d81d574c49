/** `msrfilter lint`, `msrfilter pack`, `msrfilter learn`: the policy tools (docs/formats.md). */
import {
  documentKind,
  type FilterPolicy,
  filterExitEnabled,
  getProfile,
  hex32,
  InputError,
  isLintSeverity,
  type KernelProfile,
  LINT_SEVERITIES,
  type LintFinding,
  learnPolicy,
  lintExportedSource,
  lintPolicy,
  listToTargets,
  NEWEST_PROFILE,
  packTargets,
  parseExitMask,
  parseJsonText,
  parseMsrList,
  parseRecordedTrace,
  policyFromJson,
  policyToJson,
  replayAccesses,
  resolveProfileId,
  rewritePolicy,
  scenarioFromJson,
  severityRank,
  unknownProfileMessage,
} from '../core/index';

export interface ToolIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

type Flags = Map<string, string | true>;

/** A bad flag value: exit 2 with one line (the CLI's convention). */
export class ToolUsageError extends Error {}

function profileFrom(flags: Flags, fallback?: string): KernelProfile {
  const given = (flags.get('profile') as string | undefined) ?? fallback ?? NEWEST_PROFILE;
  const id = resolveProfileId(given);
  if (!id) throw new ToolUsageError(unknownProfileMessage(given));
  return getProfile(id);
}

const isJsonText = (text: string) => /^\s*(\uFEFF)?\s*[[{]/.test(text);

function printFindings(io: ToolIo, findings: LintFinding[], json: boolean) {
  for (const f of findings) {
    if (json) io.stdout(`${JSON.stringify(f)}\n`);
    else io.stdout(`${f.severity} ${f.rule}: ${f.message}\n`);
  }
}

/** lint POLICY|SCENARIO|EXPORT.c|EXPORT.rs [--profile P] [--fail-on LEVEL] [--json] */
export function lintCommand(text: string, what: string, flags: Flags, io: ToolIo): number {
  const failOn = (flags.get('fail-on') as string | undefined) ?? 'error';
  if (!isLintSeverity(failOn)) throw new ToolUsageError(`--fail-on must be one of ${LINT_SEVERITIES.join(', ')}`);
  let findings: LintFinding[];
  if (!isJsonText(text)) {
    if (!/nmsrs/.test(text)) {
      throw new InputError(
        what,
        'neither JSON (a policy or scenario) nor C/Rust source with kvm_msr_filter ranges (nmsrs)',
      );
    }
    findings = lintExportedSource(text);
  } else {
    const json = parseJsonText(text, what);
    if (documentKind(json) === 'scenario') {
      const s = scenarioFromJson(json);
      const profile = profileFrom(flags, s.profile);
      findings = s.filter ? lintPolicy(s.filter, profile, { exits: s.exits }) : [];
    } else {
      const policy = policyFromJson(json);
      const exits = flags.get('exits');
      findings = lintPolicy(policy, profileFrom(flags), {
        exits:
          typeof exits === 'string'
            ? exits === 'none'
              ? null
              : parseExitMask(exits.split(','), '--exits')
            : undefined,
      });
    }
  }
  printFindings(io, findings, flags.has('json'));
  const worst = findings.reduce((m, f) => Math.max(m, severityRank(f.severity)), -1);
  const counts = LINT_SEVERITIES.map((s) => `${findings.filter((f) => f.severity === s).length} ${s}`).join(', ');
  io.stderr(`msrfilter lint: ${findings.length} finding(s): ${counts}\n`);
  return worst >= severityRank(failOn) ? 1 : 0;
}

function summary(p: FilterPolicy): string {
  const bytes = p.ranges.reduce((n, r) => n + (r.nmsrs ? Math.ceil(r.nmsrs / 64) * 8 : 0), 0);
  return `${p.ranges.length} range(s), ${bytes} bitmap byte(s)`;
}

/** pack LIST|POLICY [--profile P] [--allow|--deny] */
export function packCommand(text: string, what: string, flags: Flags, io: ToolIo): number {
  const profile = profileFrom(flags);
  if (isJsonText(text)) {
    const json = parseJsonText(text, what);
    const obj = json as Record<string, unknown> | null;
    const isPolicy =
      typeof obj === 'object' &&
      obj !== null &&
      !Array.isArray(obj) &&
      (obj.format === 'msr-filter/1' || (obj.format === undefined && 'ranges' in obj));
    if (isPolicy || documentKind(json) === 'scenario') {
      const policy = documentKind(json) === 'scenario' ? scenarioFromJson(json).filter : policyFromJson(json);
      if (!policy) throw new InputError('filter', 'the scenario has no filter to pack');
      const out = rewritePolicy(policy, profile);
      for (const n of out.notes) io.stderr(`msrfilter pack: ${n}\n`);
      io.stdout(`${JSON.stringify(policyToJson(out.policy), null, 2)}\n`);
      return out.provenEqual ? 0 : 1;
    }
  }
  const mode = flags.has('deny') ? 'deny' : flags.has('allow') ? 'allow' : undefined;
  const list = parseMsrList(text, mode, what);
  const out = packTargets(listToTargets(list), profile);
  for (const n of out.notes) io.stderr(`msrfilter pack: ${n}\n`);
  if (!out.policy) return 1;
  io.stdout(`${JSON.stringify(policyToJson(out.policy), null, 2)}\n`);
  io.stderr(
    `msrfilter pack: ${summary(out.policy)}${out.exact ? '' : ` (NOT exact: the list needs ${out.rangesNeeded} ranges)`} for ${profile.id}\n`,
  );
  return out.exact ? 0 : 1;
}

/** learn TRACE [--profile P] [--replay POLICY|SCENARIO] [--exits filter] [--no-passthrough] */
export function learnCommand(
  text: string,
  what: string,
  flags: Flags,
  io: ToolIo,
  readReplay: (path: string) => string,
): number {
  const parsed = parseRecordedTrace(text);
  for (const m of parsed.malformed) io.stderr(`${what}:${m.line}: skipped: ${m.reason}: ${m.text}\n`);
  io.stderr(
    `msrfilter learn: ${parsed.accesses.length} access(es) read, ${parsed.malformed.length} malformed line(s) skipped, ${parsed.ignored} other line(s) ignored\n`,
  );
  const replayPath = flags.get('replay');
  if (typeof replayPath === 'string') {
    const json = parseJsonText(readReplay(replayPath), replayPath);
    let policy: FilterPolicy | null;
    let profile: KernelProfile;
    let filterExit: boolean;
    if (documentKind(json) === 'scenario') {
      const s = scenarioFromJson(json);
      policy = s.filter;
      profile = profileFrom(flags, s.profile);
      filterExit = filterExitEnabled(s.exits);
    } else {
      policy = policyFromJson(json);
      profile = profileFrom(flags);
      filterExit = flags.get('exits') === 'filter';
    }
    const r = replayAccesses(profile, policy, parsed.accesses, { filterExit });
    if (r.error) io.stderr(`msrfilter learn: note: the kernel refuses the policy (${r.error}); replayed without it\n`);
    for (const a of r.replayed) {
      io.stdout(
        `${JSON.stringify({ op: a.op === 'read' ? 'rdmsr' : 'wrmsr', index: hex32(a.index), count: a.count, gp: a.gp, verdict: a.verdict, range: a.range, bit: a.bit, line: a.firstLine })}\n`,
      );
    }
    if (r.unseen.length) {
      io.stderr(
        `msrfilter learn: note: the policy denies ${r.unseen.length} pass-through access(es) that no trace shows (KVM lets the guest make them without an intercept where allowed): ${r.unseen.map((u) => `${u.op === 'read' ? 'RDMSR' : 'WRMSR'} ${hex32(u.index)} ${u.name}`).join(', ')}\n`,
      );
    }
    const denied = r.replayed.filter((a) => a.verdict !== 'allowed').length;
    io.stderr(`msrfilter learn: ${denied} of ${r.replayed.length} distinct access(es) denied by the policy\n`);
    return 0;
  }
  if (parsed.accesses.length === 0)
    throw new InputError(what, 'no kvm_msr or "unchecked MSR access error" line to learn from');
  const profile = profileFrom(flags);
  const out = learnPolicy(profile, parsed.accesses, { passthrough: !flags.has('no-passthrough') });
  for (const n of out.notes) io.stderr(`msrfilter learn: ${n}\n`);
  if (!out.policy) return 1;
  io.stdout(`${JSON.stringify(policyToJson(out.policy), null, 2)}\n`);
  io.stderr(`msrfilter learn: ${out.learned.length} distinct access(es) → ${summary(out.policy)} for ${profile.id}\n`);
  return out.exact ? 0 : 1;
}
