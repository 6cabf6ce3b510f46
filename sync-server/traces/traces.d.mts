import type * as Y from 'yjs';

export type Patch = [position: number, deleteCount: number, insert: string];
export interface SequentialTrace {
  startContent: string;
  endContent: string;
  txns: Array<{ patches: Patch[] }>;
}
export declare function tracePath(name: string): string;
export declare function readTrace(name: string): SequentialTrace;
export declare function tracePatches(trace: SequentialTrace): Patch[];
export declare function applyPatchesToString(text: string, patches: readonly Patch[]): string;
export declare function replayIntoYText(text: Y.Text, patches: readonly Patch[]): void;
