import type { ShareDocument } from '../../core/share/document';
import { coreScenarioToDocument, documentToCoreScenario, type PlaygroundDocument } from '../state/document';

/** The playground document as the share codec's document: the scenario and each saved access's expected verdict. */
export function toShareDocument(doc: PlaygroundDocument): ShareDocument {
  return { scenario: documentToCoreScenario(doc), expectations: doc.saved.map((a) => a.expect) };
}

/**
 * A share document back as a playground document. Steps other than RDMSR/WRMSR (set-filter, set-exits) have no
 * place in the playground: a sentence for each goes to `notes`.
 */
export function fromShareDocument(sd: ShareDocument, notes?: string[]): PlaygroundDocument {
  return coreScenarioToDocument(sd.scenario, sd.expectations ?? [], notes);
}
