/// `postgresql://user@host:port/db?x=y` with `db` replaced by `name`: the URL of a scratch database made next to
/// the test database (tests create one each and drop it afterwards).
public func replacingDatabase(in url: String, with name: String) -> String {
    guard let scheme = url.range(of: "://") else { return url }
    let rest = url[scheme.upperBound...]
    let query = rest.firstIndex(of: "?").map { String(rest[$0...]) } ?? ""
    let authority = rest.prefix { $0 != "/" && $0 != "?" }
    return String(url[..<scheme.upperBound]) + authority + "/" + name + query
}
