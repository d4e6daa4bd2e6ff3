// Swagger UI over the API's OpenAPI document. "Authorize" takes a workspace token
// (Integrations tab); it is kept in this tab's storage only while the page is open.
window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  displayOperationId: true,
  persistAuthorization: false,
});
