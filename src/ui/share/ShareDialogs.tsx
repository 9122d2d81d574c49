import { useAppStore } from '../state/context';
import { CopyLinkDialog } from './CopyLinkDialog';
import { ExportDialog } from './ExportDialog';
import { ImportDialog } from './ImportDialog';
import './dialogs.css';

/** The open share dialog, if any (this module and the exports load on first use). */
export function ShareDialogs() {
  const dialog = useAppStore((s) => s.dialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'import':
      return <ImportDialog file={dialog.file} />;
    case 'export':
      return <ExportDialog initial={dialog.format} />;
    case 'copy-link':
      return <CopyLinkDialog url={dialog.url} />;
  }
}
