// Minimal types for the parts of leveldown 6 Tandem uses (the package ships none).
declare module 'leveldown' {
  export type Callback<T = void> = (error: Error | undefined | null, value?: T) => void;
  export interface BatchOp {
    type: 'put' | 'del';
    key: string;
    value?: Uint8Array | string;
  }
  export interface IteratorOptions {
    gt?: string;
    gte?: string;
    lt?: string;
    lte?: string;
    reverse?: boolean;
    limit?: number;
    keys?: boolean;
    values?: boolean;
    keyAsBuffer?: boolean;
    valueAsBuffer?: boolean;
  }
  export interface LevelIterator {
    next(callback: (error: Error | undefined | null, key?: string | Buffer, value?: Buffer | string) => void): void;
    end(callback: Callback): void;
  }
  export interface LevelDown {
    open(options: { createIfMissing?: boolean }, callback: Callback): void;
    close(callback: Callback): void;
    get(key: string, options: { asBuffer?: boolean }, callback: Callback<Buffer>): void;
    batch(ops: BatchOp[], options: { sync?: boolean }, callback: Callback): void;
    iterator(options: IteratorOptions): LevelIterator;
    status: 'new' | 'opening' | 'open' | 'closing' | 'closed';
  }
  function leveldown(location: string): LevelDown;
  export default leveldown;
}
