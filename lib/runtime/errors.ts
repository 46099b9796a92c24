// Errors raised by PJRT plugins, with XLA's status code.

/** XLA/absl status code names, as PJRT_Error_Code reports them. */
export type PjrtErrorCode =
  | 'CANCELLED'
  | 'UNKNOWN'
  | 'INVALID_ARGUMENT'
  | 'DEADLINE_EXCEEDED'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'PERMISSION_DENIED'
  | 'RESOURCE_EXHAUSTED'
  | 'FAILED_PRECONDITION'
  | 'ABORTED'
  | 'OUT_OF_RANGE'
  | 'UNIMPLEMENTED'
  | 'INTERNAL'
  | 'UNAVAILABLE'
  | 'DATA_LOSS'
  | 'UNAUTHENTICATED';

/** An error returned by a PJRT plugin (compilation, execution, transfer). */
export class PjrtError extends Error {
  /** XLA's status code name, e.g. `'INVALID_ARGUMENT'`. */
  readonly code: PjrtErrorCode;
  /** The numeric PJRT_Error_Code. */
  readonly pjrtCode: number;

  constructor(message: string, code: PjrtErrorCode, pjrtCode: number) {
    super(message);
    this.name = 'PjrtError';
    this.code = code;
    this.pjrtCode = pjrtCode;
  }
}
