import { useEffect } from 'react';
import { useAppStore } from '../state/context';

export const TOAST_MS = 5000;

/** A polite live region for short confirmations ("Link copied"), there from the start so that they are announced. */
export function Toast() {
  const toast = useAppStore((s) => s.toast);
  const showToast = useAppStore((s) => s.showToast);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => showToast(null), TOAST_MS);
    return () => clearTimeout(t);
  }, [toast, showToast]);
  return (
    <div className={toast ? 'toast toast-shown' : 'toast'} role="status" aria-live="polite">
      {toast?.text}
    </div>
  );
}
