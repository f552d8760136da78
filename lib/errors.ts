/** Typed errors of v1lm. Every error carries a stable `code` and says what to do. */
export type V1lmErrorCode =
  | 'E_BAD_NETWORK'
  | 'E_BAD_ARGUMENT'
  | 'E_BAD_FILE'
  | 'E_NO_CUDA'
  | 'E_NO_ADDON'
  | 'E_OUT_OF_MEMORY'
  | 'E_BUSY'
  | 'E_DISPOSED'
  | 'E_INTERNAL'

export class V1lmError extends Error {
  readonly code: V1lmErrorCode
  /** The offending field (dotted path) or file, when there is one. */
  readonly field?: string
  constructor(code: V1lmErrorCode, message: string, field?: string) {
    super(message)
    this.name = 'V1lmError'
    this.code = code
    if (field !== undefined) this.field = field
  }
}

/** Re-types an error thrown by the native addon (which sets `code` and `field`) as a V1lmError. */
export function fromNative(err: unknown): V1lmError {
  if (err instanceof V1lmError) return err
  const e = err as { code?: string; message?: string; field?: string }
  const code = (typeof e?.code === 'string' && e.code.startsWith('E_') ? e.code : 'E_INTERNAL') as V1lmErrorCode
  return new V1lmError(code, e?.message ?? String(err), e?.field)
}
