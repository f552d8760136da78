export { V1lmError, type V1lmErrorCode } from './errors.js'
export { backends, loadAddon, type BackendReport } from './native.js'
