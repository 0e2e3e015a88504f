// Vocabulary of the simulated organisation (Contoso).

export const GIVEN_NAMES = [
  "Alex", "Priya", "Tom", "Mei", "Jonas", "Amara", "Liam", "Sofia", "Noah", "Chloe", "Mateo", "Aisha", "Lucas", "Hannah", "Ethan",
  "Yuki", "Oliver", "Fatima", "Daniel", "Elena", "Samuel", "Grace", "Omar", "Isla", "Ravi", "Nora", "Felix", "Zara", "Hugo", "Leah",
  "Marcus", "Ingrid", "Kwame", "Anya", "Diego", "Freya", "Tariq", "Maya", "Jakub", "Lena", "Arjun", "Emily", "Sven", "Chiara", "Kofi",
  "Rosa", "Malik", "Astrid", "Ben", "Nadia", "Pablo", "Sarah", "Hiro", "Olga", "Kai", "Julia", "Ibrahim", "Clara", "Finn", "Lucia",
] as const;

export const SURNAMES = [
  "Morgan", "Shah", "Becker", "Lin", "Schmidt", "Okafor", "Murphy", "Rossi", "Kim", "Dubois", "Garcia", "Khan", "Silva", "Novak",
  "Tanaka", "Walsh", "Haddad", "Jensen", "Costa", "Ivanova", "Mensah", "Fischer", "Patel", "Nguyen", "Larsen", "O'Brien", "Moreau",
  "Kowalski", "Andersson", "Hughes", "Ali", "Wagner", "Santos", "Yamamoto", "Brennan", "Horvath", "Reyes", "Lindqvist", "Chen", "Adeyemi",
  "Fernandes", "Nakamura", "Bauer", "Sato", "Ward", "Popescu", "Molina", "Eriksen", "Mbeki", "Petrov", "Quinn", "Romero", "Stewart", "Weber",
] as const;

export const DEPARTMENTS = [
  "Finance", "Human Resources", "Engineering", "Sales", "Marketing", "Customer Support", "Legal", "Operations", "IT Infrastructure",
  "Procurement", "Research", "Facilities",
] as const;

export const TITLES: Record<string, readonly string[]> = {
  Finance: ["Accountant", "Financial Analyst", "Payroll Specialist", "Finance Manager", "Controller"],
  "Human Resources": ["HR Advisor", "Recruiter", "HR Business Partner", "Learning Coordinator"],
  Engineering: ["Software Engineer", "Senior Software Engineer", "QA Engineer", "Engineering Manager", "Site Reliability Engineer", "Principal Engineer"],
  Sales: ["Account Executive", "Sales Development Representative", "Sales Manager", "Key Account Manager"],
  Marketing: ["Marketing Specialist", "Content Writer", "Product Marketing Manager", "Brand Designer"],
  "Customer Support": ["Support Agent", "Senior Support Agent", "Support Team Lead", "Customer Success Manager"],
  Legal: ["Legal Counsel", "Paralegal", "Compliance Officer"],
  Operations: ["Operations Analyst", "Logistics Coordinator", "Operations Manager"],
  "IT Infrastructure": ["Systems Administrator", "Network Engineer", "Identity Engineer", "Service Desk Analyst"],
  Procurement: ["Buyer", "Procurement Specialist", "Vendor Manager"],
  Research: ["Research Scientist", "Data Scientist", "Lab Technician"],
  Facilities: ["Facilities Coordinator", "Workplace Manager", "Security Officer"],
};

export const LOCATIONS = ["London", "Manchester", "Dublin", "Amsterdam", "Berlin", "Lisbon", "Toronto", "Singapore"] as const;

export const COST_CENTRES = ["CC-1000", "CC-1100", "CC-1200", "CC-2000", "CC-2100", "CC-3000", "CC-3100", "CC-4000", "CC-5000", "CC-6000"] as const;

/** Administrators who trigger runs by hand, and the API keys automation uses. */
export const ADMIN_USERS = [
  { id: "0190a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a11", name: "Alex Morgan" },
  { id: "0190a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a12", name: "Priya Shah" },
  { id: "0190a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a13", name: "Tom Becker" },
  { id: "0190a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a14", name: "Mei Lin" },
] as const;
export const API_KEYS = [
  { id: "0190a1b2-7c3d-7e4f-8a5b-6c7d8e9f0b21", name: "ci-pipeline" },
  { id: "0190a1b2-7c3d-7e4f-8a5b-6c7d8e9f0b22", name: "joiner-mover-leaver-automation" },
] as const;
