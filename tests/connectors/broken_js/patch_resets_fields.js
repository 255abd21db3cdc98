// patch sends a full record built from the patch alone, clearing every field not given.
const correct = require('../../../examples/cats-js/dataSourceApp.js')

module.exports = {
  ...correct,
  async patch (id, value) {
    return correct.patch.call(this, id, { notes: null, toys: [], ...value })
  }
}
