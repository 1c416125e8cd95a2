// The README's Jest recipe: nothing to transform, the package ships CommonJS.
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/jest/*.test.cjs'],
};
