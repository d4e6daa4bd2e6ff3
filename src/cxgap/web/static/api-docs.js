// Swagger UI over the API's OpenAPI document. "Authorize" takes a workspace token
// (Integrations tab); it is kept in this tab's storage only while the page is open.
// On a phone the operationIds are left out: beside the path they broke mid-word.
window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  displayOperationId: window.matchMedia("(min-width: 700px)").matches,
  persistAuthorization: false,
});
