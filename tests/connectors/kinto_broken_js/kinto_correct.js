// The example Kinto connector, for broken variants that each override exactly one method. The
// live tests copy this folder next to an account.json for their server and put the example
// itself here in place of this file, since a relative path out of the copy leads nowhere.
module.exports = require('../../../examples/kinto-js/dataSourceApp.js')
