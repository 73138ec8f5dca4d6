import FairScanGit
import FairScanRegex

/// What the workers found while reading objects from the object database.
struct ObjectScanResult: Sendable {
  var blobHits: [ObjectID: [ContentHit]] = [:]
  var commitHits: [(RawCommit, [ContentHit])] = []
  var tagHits: [(RawTag, [ContentHit])] = []
  var scannedBlobs: Set<ObjectID> = []
  var tooLarge: [(ObjectID, Int)] = []
  var unreadable: [(ObjectID, String)] = []
  var ruleErrors: [(ObjectID, String, String)] = []
  var blobs = 0
  var commits = 0
  var bytes = 0

  mutating func merge(_ other: ObjectScanResult) {
    blobHits.merge(other.blobHits) { $0 + $1 }
    commitHits += other.commitHits
    tagHits += other.tagHits
    scannedBlobs.formUnion(other.scannedBlobs)
    tooLarge += other.tooLarge
    unreadable += other.unreadable
    ruleErrors += other.ruleErrors
    blobs += other.blobs
    commits += other.commits
    bytes += other.bytes
  }
}

/// Reads the given objects on several threads, each with its own repository
/// handle, in the order given (pack order), and scans blobs, commit messages and
/// tag messages. Trees are skipped by their header, without being read.
enum ObjectScan {
  /// Opens one reader per worker thread.
  typealias ReaderFactory = @Sendable (_ gitDirectory: String) throws -> any ObjectReading

  static func run(
    gitDirectory: String, ids: [ObjectID], ruleSet: RuleSet, options: ScanOptions,
    scanTags: Bool = true, makeReader: ReaderFactory = { try ObjectReader(gitDirectory: $0) }
  ) throws -> ObjectScanResult {
    let dispenser = ChunkDispenser(total: ids.count, chunkSize: 256)
    let gathered = Gathered<ObjectScanResult>()
    let failures = Gathered<String>()
    let progress = ProgressMeter(total: ids.count, unit: "objects", report: options.progress)
    let shared = Unchecked(ids)
    Parallel.run(jobs: min(options.jobs, max(1, ids.count / 64 + 1))) { _ in
      let ids = shared.value
      let reader: any ObjectReading
      let worker: ScanWorker
      do {
        reader = try makeReader(gitDirectory)
        worker = try ScanWorker(ruleSet: ruleSet, limits: options.limits)
      } catch {
        failures.append("\(error)")
        return
      }
      var result = ObjectScanResult()
      while let chunk = dispenser.take() {
        for i in chunk {
          scanObject(ids[i], reader: reader, worker: worker, options: options, scanTags: scanTags, into: &result)
        }
        progress.advance(chunk.count)
      }
      gathered.append(result)
    }
    progress.finish()
    if let failure = failures.all.first { throw ScanError.repository(failure) }
    var total = ObjectScanResult()
    for part in gathered.all { total.merge(part) }
    return total
  }

  private static func scanObject(
    _ id: ObjectID, reader: any ObjectReading, worker: ScanWorker, options: ScanOptions, scanTags: Bool,
    into result: inout ObjectScanResult
  ) {
    do {
      let header = try reader.header(id)
      switch header.kind {
      case .blob:
        if header.size > options.maxFileSize {
          result.tooLarge.append((id, header.size))
          return
        }
        let scan = try reader.withObject(id) { _, bytes in worker.scan(bytes, path: nil) }
        result.blobs += 1
        result.bytes += header.size
        result.scannedBlobs.insert(id)
        if !scan.hits.isEmpty { result.blobHits[id, default: []] += scan.hits }
        for error in scan.errors { result.ruleErrors.append((id, error.ruleID, error.message)) }
      case .commit:
        try reader.withObject(id) { _, bytes in
          guard let commit = parseRawCommit(bytes, id: id) else { return }
          result.commits += 1
          let message = UnsafeRawBufferPointer(rebasing: bytes[commit.messageRange])
          result.bytes += message.count
          let scan = worker.scan(message, path: nil)
          if !scan.hits.isEmpty { result.commitHits.append((commit, scan.hits)) }
          for error in scan.errors { result.ruleErrors.append((id, error.ruleID, error.message)) }
        }
      case .tag where scanTags:
        try reader.withObject(id) { _, bytes in
          guard let tag = parseRawTag(bytes, id: id) else { return }
          let message = UnsafeRawBufferPointer(rebasing: bytes[tag.messageRange])
          result.bytes += message.count
          let scan = worker.scan(message, path: nil)
          if !scan.hits.isEmpty { result.tagHits.append((tag, scan.hits)) }
          for error in scan.errors { result.ruleErrors.append((id, error.ruleID, error.message)) }
        }
      default:
        return
      }
    } catch {
      result.unreadable.append((id, "\(error)"))
    }
  }
}

/// Errors that stop a scan before it produces a report.
public enum ScanError: Error, Equatable, CustomStringConvertible {
  case repository(String)
  case badRange(String)
  case path(String)

  public var description: String {
    switch self {
    case .repository(let m): return m
    case .badRange(let m): return "bad --range: \(m)"
    case .path(let m): return m
    }
  }
}
