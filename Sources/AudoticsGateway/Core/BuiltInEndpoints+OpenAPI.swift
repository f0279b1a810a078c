import Foundation

extension BuiltInEndpoints {
    /// The OpenAPI document restricted to what a gateway serves: operations whose tag (the service's short name,
    /// as our generator writes them) is one of `services` (fully qualified names), the paths left with an
    /// operation, and the tags of those services. A gateway in front of some of the services thus describes
    /// exactly the routes it answers. A document that is not a JSON object comes back unchanged.
    public static func restrictedOpenAPIDocument(_ document: [UInt8], servingOnly services: [String]) -> [UInt8] {
        let kept = Set(services.map { $0.split(separator: ".").last.map(String.init) ?? $0 })
        guard var root = (try? JSONSerialization.jsonObject(with: Data(document))) as? [String: Any],
            let paths = root["paths"] as? [String: Any]
        else { return document }
        let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        var filtered: [String: Any] = [:]
        for (path, item) in paths {
            guard var operations = item as? [String: Any] else { continue }
            for (method, operation) in operations {
                guard let tags = (operation as? [String: Any])?["tags"] as? [String] else { continue }  // "parameters" and the like
                if !tags.contains(where: kept.contains) { operations[method] = nil }
            }
            if operations.keys.contains(where: methods.contains) { filtered[path] = operations }
        }
        root["paths"] = filtered
        if let tags = root["tags"] as? [[String: Any]] {
            root["tags"] = tags.filter { ($0["name"] as? String).map(kept.contains) ?? false }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return document
        }
        return Array(data)
    }
}
