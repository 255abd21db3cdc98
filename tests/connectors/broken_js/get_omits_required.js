// get leaves out name, the field schema.json marks required (a mapping that skips a field).
const correct = require('../../../examples/cats-js/dataSourceApp.js')

module.exports = {
  ...correct,
  async get (id) {
    const record = await correct.get.call(this, id)
    if (record) delete record.name
    return record
  }
}
