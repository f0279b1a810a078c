/// The HTTP status of a successful call through the JSON edge, decided once for the route table and
/// the OpenAPI document.
public enum HTTPSuccessStatus {
    /// 201 Created for `POST` routes of methods that create a resource: named `Create<Thing>` or
    /// `Register`; 200 OK for everything else.
    public static func forMethod(_ methodName: String, httpMethod: String) -> Int {
        guard httpMethod == "POST" else { return 200 }
        if methodName == "Register" { return 201 }
        guard methodName.hasPrefix("Create"), let next = methodName.dropFirst(6).first else { return 200 }
        return next.isUppercase ? 201 : 200
    }
}
