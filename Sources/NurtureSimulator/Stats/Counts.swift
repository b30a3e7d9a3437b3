/// Histograms and per-day, per-grade or per-reason tallies are arrays of counts of one shape in
/// every worker's part; merging parts adds them element by element. Whole numbers, so the order
/// of the merges cannot change a total.
extension Array where Element == Int {
    mutating func add(_ other: [Int]) {
        for i in indices { self[i] += other[i] }
    }
}
