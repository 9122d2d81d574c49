import { hexShort, type VmmReply } from '../../core/index';
import { usePerform } from '../actions/hooks';
import { ParsedField } from '../editor/ParsedField';
import { parseU64Text } from '../state/parse';

/** How the VMM answers one kind of exit: error = 1 (the guest gets #GP), or data (reads) / accept (writes). */
export function VmmReplyField({ type, reply }: { type: 'read' | 'write'; reply: VmmReply }) {
  const run = usePerform();
  const name = `vmm-${type}`;
  const data = reply.error ? 0n : reply.data;
  return (
    <fieldset className="vmm-reply">
      <legend>{type === 'read' ? 'RDMSR exits' : 'WRMSR exits'}</legend>
      <label>
        <input
          type="radio"
          name={name}
          checked={reply.error}
          onChange={() => run('settings.vmm', { type, reply: { error: true } })}
        />
        error = 1 (guest gets #GP)
      </label>
      <label>
        <input
          type="radio"
          name={name}
          checked={!reply.error}
          onChange={() => run('settings.vmm', { type, reply: { error: false, data } })}
        />
        {type === 'read' ? 'answer with data' : 'accept the write'}
      </label>
      {type === 'read' && !reply.error ? (
        <ParsedField
          label="Data returned to the guest"
          value={data}
          format={(v) => hexShort(v)}
          parse={parseU64Text}
          onCommit={(v) => run('settings.vmm', { type, reply: { error: false, data: v } })}
        />
      ) : null}
    </fieldset>
  );
}
