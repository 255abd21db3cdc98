// The seed sample with only `toIsoString` fixed (it is `toISOString`): now the first sync gets as
// far as its query, which puts `lastSync` (null on a first sync) into the filter.
const seed = require('../dataSourceApp.js')

module.exports = {
  ...seed,
  async getUpdates(lastSync) {
    var nextSync = new Date().toISOString();
    var response = await this.httpClient.get(`/cats?q=lastModified ge ${lastSync}`);
    return {
      nextSync: nextSync,
      entires: response.map(v => ({ id: v.id, type: 'upsert', value: v }))
    }
  }
}
