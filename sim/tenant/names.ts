/** Word lists that give generated objects plausible names. Order matters: changing it changes tenants. */

export const GIVEN_NAMES = [
  "Emma", "Liam", "Olivia", "Noah", "Ava", "Elijah", "Sophia", "Lucas", "Isabella", "Mason", "Mia", "Ethan",
  "Amelia", "Logan", "Harper", "James", "Evelyn", "Aiden", "Abigail", "Jacob", "Emily", "Michael", "Ella",
  "Benjamin", "Elizabeth", "William", "Camila", "Alexander", "Luna", "Daniel", "Sofia", "Henry", "Avery",
  "Jackson", "Mila", "Sebastian", "Aria", "Mateo", "Scarlett", "Jack", "Penelope", "Owen", "Layla", "Samuel",
  "Chloe", "Matthew", "Victoria", "Joseph", "Madison", "Levi", "Eleanor", "David", "Grace", "John", "Nora",
  "Wyatt", "Riley", "Carter", "Zoey", "Julian", "Hannah", "Luke", "Hazel", "Grayson", "Lily", "Isaac",
  "Ellie", "Jayden", "Violet", "Theodore", "Lillian", "Gabriel", "Zoe", "Anthony", "Stella", "Dylan",
  "Aurora", "Leo", "Natalie", "Lincoln", "Emilia", "Jaxon", "Everly", "Asher", "Leah", "Christopher",
  "Aubrey", "Josiah", "Willow", "Andrew", "Addison", "Thomas", "Lucy", "Joshua", "Audrey", "Ezra", "Bella",
  "Hudson", "Nova", "Charles", "Brooklyn", "Caleb", "Paisley", "Isaiah", "Savannah", "Ryan", "Claire",
  "Nathan", "Skylar", "Adrian", "Isla", "Christian", "Genesis", "Priya", "Arjun", "Mei", "Wei", "Yuki",
  "Hiro", "Fatima", "Omar", "Aisha", "Mohammed", "Ines", "Joao", "Lars", "Ingrid", "Sven", "Astrid", "Pavel",
  "Olga", "Kwame", "Amara", "Tariq", "Leila", "Diego", "Lucia", "Matteo", "Giulia",
];

export const SURNAMES = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
  "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
  "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker",
  "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams",
  "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips",
  "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales",
  "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly",
  "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James",
  "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel",
  "Myers", "Long", "Ross", "Foster", "Jimenez", "Chen", "Wang", "Singh", "Kumar", "Tanaka", "Sato", "Muller",
  "Schmidt", "Larsen", "Nielsen", "Novak", "Kowalski", "Okafor", "Mensah", "Haddad", "Rossi", "Silva",
  "Costa", "Dubois", "Moreau", "Jansen", "De Vries", "Berg", "Lindqvist",
];

export const DEPARTMENTS = [
  "Sales", "Marketing", "Engineering", "Finance", "Human Resources", "Legal", "Operations", "Support",
  "Research", "Product", "IT", "Procurement", "Facilities", "Security", "Customer Success",
];

export const JOB_LEVELS = ["Associate", "Specialist", "Senior", "Lead", "Principal", "Manager", "Director"];
export const JOB_ROLES = ["Analyst", "Engineer", "Consultant", "Coordinator", "Representative", "Designer", "Administrator", "Advisor"];

/** city, state, postal code prefix, country, usage location, street */
export const PLACES: ReadonlyArray<readonly [string, string, string, string, string, string]> = [
  ["Seattle", "WA", "981", "United States", "US", "Pine Street"],
  ["Redmond", "WA", "980", "United States", "US", "Microsoft Way"],
  ["New York", "NY", "100", "United States", "US", "Madison Avenue"],
  ["Austin", "TX", "787", "United States", "US", "Congress Avenue"],
  ["Chicago", "IL", "606", "United States", "US", "Wacker Drive"],
  ["Toronto", "ON", "M5V", "Canada", "CA", "King Street West"],
  ["London", "England", "EC1", "United Kingdom", "GB", "Old Street"],
  ["Dublin", "Leinster", "D02", "Ireland", "IE", "Grand Canal Square"],
  ["Paris", "Ile-de-France", "750", "France", "FR", "Rue de Rivoli"],
  ["Berlin", "Berlin", "101", "Germany", "DE", "Friedrichstrasse"],
  ["Amsterdam", "Noord-Holland", "101", "Netherlands", "NL", "Herengracht"],
  ["Stockholm", "Stockholm", "111", "Sweden", "SE", "Drottninggatan"],
  ["Madrid", "Madrid", "280", "Spain", "ES", "Gran Via"],
  ["Sydney", "NSW", "200", "Australia", "AU", "George Street"],
  ["Singapore", "Singapore", "018", "Singapore", "SG", "Marina Boulevard"],
  ["Tokyo", "Tokyo", "100", "Japan", "JP", "Marunouchi"],
  ["Bangalore", "Karnataka", "560", "India", "IN", "MG Road"],
  ["Sao Paulo", "SP", "013", "Brazil", "BR", "Avenida Paulista"],
];

export const GUEST_DOMAINS = ["fabrikam.com", "northwindtraders.com", "adventure-works.com", "tailspintoys.com", "wingtiptoys.com", "litware.com"];

export const GROUP_TOPICS = [
  "Sales", "Marketing", "Engineering", "Finance", "HR", "Legal", "Operations", "Support", "Research", "Product",
  "IT", "Procurement", "Security", "Design", "Data", "Platform", "Mobile", "Cloud", "Partners", "Training",
  "Events", "Compliance", "Audit", "Quality", "Logistics", "Payroll", "Recruiting", "Analytics", "Devices", "Identity",
];
export const GROUP_SUFFIXES = ["Team", "Project", "Leads", "All", "Admins", "Readers", "Contributors", "Guild", "Committee", "Working Group"];

export const APP_WORDS = [
  "Contoso", "Payroll", "Expense", "Travel", "Helpdesk", "Inventory", "Timesheet", "Portal", "Analytics", "Billing",
  "CRM", "Wiki", "Backup", "Scanner", "Connector", "Reporting", "Scheduler", "Gateway", "Sync", "Mailer",
];
export const APP_KINDS = ["Web", "API", "Daemon", "Mobile", "Automation", "Integration"];

export const COUNTRIES = ["US", "CA", "GB", "IE", "FR", "DE", "NL", "SE", "ES", "AU", "SG", "JP", "IN", "BR", "CN", "RU", "KP", "IR"];
