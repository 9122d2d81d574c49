/** allow/deny in words with an icon, never colour alone. */
export function Verdict({ allowed }: { allowed: boolean }) {
  return (
    <span className={`verdict ${allowed ? 'verdict-allow' : 'verdict-deny'}`}>
      <span aria-hidden="true">{allowed ? '✓ ' : '⊘ '}</span>
      {allowed ? 'allow' : 'deny'}
    </span>
  );
}
