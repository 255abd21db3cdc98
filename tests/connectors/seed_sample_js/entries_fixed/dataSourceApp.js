// The seed sample with `entries` spelt right as well: the sync defects underneath show (the
// token from the local clock, one page only, no deletions, get of a deleted id throws).
const seed = require('../dataSourceApp.js')

module.exports = {
  ...seed,
  async getUpdates(lastSync) {
    var nextSync = new Date().toISOString();
    var query = lastSync ? `?q=lastModified ge ${lastSync}` : '';
    var response = await this.httpClient.get(`/cats${query}`);
    return {
      nextSync: nextSync,
      entries: response.map(v => ({ id: v.id, type: 'upsert', value: v }))
    }
  }
}
