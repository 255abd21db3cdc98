// Broken twin: getUpdates reads the first page of the listing and never follows Link: rel="next".
import correct from './dataSourceApp.mjs'

export default {
  ...correct,
  nextPage () { return null }
}
