import { useEffect, useId, useRef } from 'react';
import { formatShortcut } from '../actions/shortcuts';
import { Dialog } from './Dialog';

/** Where the clipboard is not available: the link in a field, selected, to copy by hand. */
export function CopyLinkDialog({ url }: { url: string }) {
  const ref = useRef<HTMLInputElement>(null);
  const id = useId();
  useEffect(() => ref.current?.select(), []);
  return (
    <Dialog title="Copy link">
      <div className="dialog-field">
        <label htmlFor={id}>The link to this document</label>
        <input
          ref={ref}
          id={id}
          type="text"
          readOnly
          data-autofocus
          value={url}
          aria-describedby={`${id}-hint`}
          onFocus={(e) => e.currentTarget.select()}
        />
        <p id={`${id}-hint`} className="field-hint">
          The clipboard is not available here: the link is selected, press {formatShortcut('mod+c')} to copy it.
        </p>
      </div>
    </Dialog>
  );
}
