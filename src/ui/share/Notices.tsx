import { ActionButton } from '../actions/ActionButton';
import { useAppStore } from '../state/context';
import './notices.css';

/**
 * Messages about the document as a whole (a link that could not be opened, kept work that could not be read, a
 * document too large for a link), each until dismissed. Errors are alerts.
 */
export function Notices() {
  const notices = useAppStore((s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((n) => (
        <div key={n.id} role={n.tone === 'alert' ? 'alert' : 'status'} className={`notice notice-${n.tone}`}>
          <p>
            <strong>{n.title}</strong> {n.text}
          </p>
          {n.restore ? (
            <ActionButton action="document.restorePrevious" params={{ id: n.id }}>
              Restore previous work
            </ActionButton>
          ) : null}
          <ActionButton action="notice.dismiss" params={{ id: n.id }} label={`Dismiss: ${n.title}`}>
            Dismiss
          </ActionButton>
        </div>
      ))}
    </div>
  );
}
