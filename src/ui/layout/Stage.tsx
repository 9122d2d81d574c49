import type { CSSProperties, ReactNode } from 'react';
import { ActionButton } from '../actions/ActionButton';
import { useAppStore } from '../state/context';
import { PaneSeparator } from './PaneSeparator';

/**
 * The stage (Compiler Explorer's habit): the grid is the widest pane, the policy on its left and the console on its
 * right; the side panes can be resized (their separators) or collapsed, and the layout is kept in local storage. On a
 * narrow screen the panes stack in one column: the grid, the console, then the policy.
 */
export function Stage(props: { editor: ReactNode; grid: ReactNode; console: ReactNode }) {
  const stage = useAppStore((s) => s.stage);
  const style = {
    '--editor-w': stage.editorOpen ? `${stage.editorWidth}px` : '0px',
    '--console-w': stage.consoleOpen ? `${stage.consoleWidth}px` : '0px',
  } as CSSProperties;
  return (
    <main
      className="stage"
      style={style}
      data-editor-open={stage.editorOpen || undefined}
      data-console-open={stage.consoleOpen || undefined}
    >
      <div className="stage-pane stage-editor" id="pane-editor" hidden={!stage.editorOpen}>
        {props.editor}
      </div>
      <div className="stage-rail stage-rail-editor">
        <ActionButton
          action="layout.toggleEditor"
          expanded={stage.editorOpen}
          controls="pane-editor"
          label={stage.editorOpen ? 'Hide the policy pane' : 'Show the policy pane'}
        >
          <span aria-hidden="true">{stage.editorOpen ? '«' : '»'}</span>
          {stage.editorOpen ? null : <span className="rail-text">Policy</span>}
        </ActionButton>
        {stage.editorOpen ? <PaneSeparator pane="editor" label="Resize the policy pane" /> : null}
      </div>
      <div className="stage-pane stage-grid" id="pane-grid">
        {props.grid}
      </div>
      <div className="stage-rail stage-rail-console">
        <ActionButton
          action="layout.toggleConsole"
          expanded={stage.consoleOpen}
          controls="pane-console"
          label={stage.consoleOpen ? 'Hide the console pane' : 'Show the console pane'}
        >
          <span aria-hidden="true">{stage.consoleOpen ? '»' : '«'}</span>
          {stage.consoleOpen ? null : <span className="rail-text">Console</span>}
        </ActionButton>
        {stage.consoleOpen ? <PaneSeparator pane="console" label="Resize the console pane" /> : null}
      </div>
      <div className="stage-pane stage-console" id="pane-console" hidden={!stage.consoleOpen}>
        {props.console}
      </div>
    </main>
  );
}
