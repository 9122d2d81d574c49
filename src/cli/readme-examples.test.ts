// @vitest-environment node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main';

/**
 * The README's ```console blocks are transcripts: `$ npx msrfilter ARGS [> FILE] [2>/dev/null]` (or `$ echo $?`)
 * and what it prints, stdout and stderr in the order written. Each is run here against the repository's files (a
 * `> FILE` is kept in memory for later commands of the page) and must print exactly that.
 */
interface Transcript {
  line: number;
  steps: { command: string; expected: string }[];
}

function consoleTranscripts(markdown: string): Transcript[] {
  const out: Transcript[] = [];
  const re = /^```console\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    const steps: Transcript['steps'] = [];
    for (const l of m[1].split('\n').slice(0, -1)) {
      if (l.startsWith('$ ')) steps.push({ command: l.slice(2), expected: '' });
      else if (steps.length) steps[steps.length - 1].expected += `${l}\n`;
    }
    out.push({ line: markdown.slice(0, m.index).split('\n').length, steps });
  }
  return out;
}

const ROOT = process.cwd();
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README transcripts of msrfilter lint, pack and learn', () => {
  const transcripts = consoleTranscripts(README);
  const written = new Map<string, string>();

  it('has a transcript for each tool', () => {
    const commands = transcripts.flatMap((t) => t.steps.map((s) => s.command));
    for (const tool of ['lint', 'pack', 'learn']) {
      expect(commands.some((c) => c.startsWith(`npx msrfilter ${tool} `))).toBe(true);
    }
  });

  it.each(transcripts.map((t) => [t.line, t] as const))('README.md:%i prints what it shows', async (_line, t) => {
    let last = 0;
    for (const step of t.steps) {
      let printed = '';
      if (step.command === 'echo $?') printed = `${last}\n`;
      else {
        const words = step.command.split(/\s+/);
        expect(words.slice(0, 2)).toEqual(['npx', 'msrfilter']);
        let args = words.slice(2);
        const quiet = args.includes('2>/dev/null');
        args = args.filter((a) => a !== '2>/dev/null');
        const redirect = args.indexOf('>');
        const target = redirect >= 0 ? args[redirect + 1] : null;
        if (redirect >= 0) args = args.slice(0, redirect);
        let stdout = '';
        last = await main(args, {
          stdout: (s) => {
            if (target === null) printed += s;
            stdout += s;
          },
          stderr: (s) => {
            if (!quiet) printed += s;
          },
          readFile: (p) => written.get(p) ?? readFileSync(join(ROOT, p), 'utf8'),
          expandPath: (p) => [p],
          version: '0.0.0-test',
        });
        if (target !== null && target !== '/dev/null') written.set(target, stdout);
      }
      expect(`$ ${step.command}\n${printed}`).toBe(`$ ${step.command}\n${step.expected}`);
    }
  });
});
