// Stands in for Node-only packages (node-fetch) that tfjs names but never calls in a browser.
export default {};
